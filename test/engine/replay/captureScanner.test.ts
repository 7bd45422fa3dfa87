// The capture scanner against the JSON.parse reference path: every shared capture (each set, and
// each of its files alone, which replays a day without a snapshot) replayed both ways must give
// the identical summary — every counter, the gap list, issues, bbo checks — the same timeline
// files and the same messages seen by an observer. Then a corpus of real lines changed in the ways
// the scanner must NOT accept (escapes, whitespace, repeated keys, off-tick prices, …): each must
// fall back to JSON.parse and come out exactly as on the reference path.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  replayCapture,
  type CaptureObserver,
  type CaptureReplayOptions
} from '../../../src-main/engine/captureReplay'
import { TimelineRecorder } from '../../../src-main/engine/sink/timeline'
import { PriceGrid } from '../../../src-shared/units'
import { parseCaptureJson } from '../../../src-main/engine/source/captureMessages'
import {
  CaptureScanner,
  SCAN_DEPTH,
  SCAN_NONE,
  SCAN_TRADE
} from '../../../src-main/engine/source/captureScanner'
import { scannedDepth } from '../../../src-main/engine/source/scannedMessages'
import { captureFiles, hasCaptures, type CaptureSet } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

const SETS: CaptureSet[] = [
  'spot-btcusdt-20240808',
  'usdm-btcusdt-20240718',
  'usdm-btcusdt-20240808',
  'spot-nexousdt-20240723'
]
const dir = tempDir('lakebook-scanner-')

/** Everything an observer is shown, as text (messages, where, the book's best after each). */
function recorder(): { observer: CaptureObserver; log: string[] } {
  const log: string[] = []
  const observer: CaptureObserver = {
    start: (i) => log.push(`start ${i.symbol} ${i.market} ${i.tick}`),
    snapshot: (s, at, b) =>
      log.push(`snap ${JSON.stringify(s)} ${JSON.stringify(at)} ${b.bestBid()} ${b.bestAsk()}`),
    diff: (d, at, b) =>
      log.push(`diff ${JSON.stringify(d)} ${JSON.stringify(at)} ${b.bestBid()} ${b.bestAsk()}`),
    trade: (t, at) => log.push(`trade ${JSON.stringify(t)} ${JSON.stringify(at)}`),
    gap: (at) => log.push(`gap ${JSON.stringify(at)}`)
  }
  return { observer, log }
}

interface Run {
  summary: Record<string, unknown>
  timeline: Record<string, string>
  log: string[]
}

async function run(
  files: string[],
  parser: 'json' | 'scan',
  opts: CaptureReplayOptions = {}
): Promise<Run> {
  const timeline = new TimelineRecorder(0)
  const { observer, log } = recorder()
  const r = await replayCapture(files, { ...opts, parser, timeline, observer })
  const { elapsedMs: _e, eventsPerSecond: _s, ...summary } = r
  const out = join(dir, `${parser}-${Math.random().toString(36).slice(2)}`)
  const grid = new PriceGrid(r.tick)
  timeline.write(out, {
    symbol: r.symbol,
    tick: r.tick,
    priceScale: grid.scale,
    tickStep: grid.step,
    lotScale: 8
  })
  const files2: Record<string, string> = {}
  for (const f of readdirSync(out).sort()) files2[f] = readFileSync(join(out, f)).toString('base64')
  return { summary, timeline: files2, log }
}

async function same(files: string[], opts: CaptureReplayOptions = {}): Promise<Run> {
  const ref = await run(files, 'json', opts)
  const scan = await run(files, 'scan', opts)
  expect(scan.summary).toEqual(ref.summary)
  expect(scan.log.length).toBe(ref.log.length)
  expect(scan.log).toEqual(ref.log)
  expect(scan.timeline).toEqual(ref.timeline)
  return ref
}

describe.skipIf(!hasCaptures)('capture scanner = JSON.parse on the real captures', () => {
  for (const set of SETS) {
    it(`${set}: identical summary, timeline and observed messages`, async () => {
      const ref = await same(captureFiles(set))
      expect(ref.summary['complete']).toBe(true)
    })
    for (const file of captureFiles(set)) {
      it(`${set} · ${file.slice(file.lastIndexOf('/') + 1)} alone`, async () => {
        await same([file])
      })
    }
  }

  it('the same under the other options (wait-snapshot, range clearing, a line limit)', async () => {
    await same(captureFiles('usdm-btcusdt-20240718'), {
      onGap: 'wait-snapshot',
      snapshotClear: 'range'
    })
    await same(captureFiles('spot-btcusdt-20240808'), { maxLines: 30_000 })
  })
})

/** Real spot lines, each changed so the scanner must hand it to JSON.parse. */
function damaged(lines: string[]): string[] {
  const at = (needle: string, k = 0): number => {
    let seen = 0
    return lines.findIndex((l) => l.includes(needle) && seen++ === k)
  }
  const edit = (needle: string, k: number, f: (l: string) => string): void => {
    const i = at(needle, k)
    if (i >= 0) lines[i] = f(lines[i] ?? '')
  }
  edit('@depth', 40, (l) => l.replace(/"b":\[\["(\d)/, '"b":[["\\u003$1')) // an escaped digit
  edit('@depth', 41, (l) => l.replace('"U":', '"U": ')) // whitespace
  edit('@depth', 42, (l) => l.replace('"u":', '"u":1,"u":')) // a repeated key
  edit('@depth', 43, (l) => l.replace(/"b":\[\["(\d+)\.(\d)/, '"b":[["$1.$2' + '5')) // off-tick
  edit('@depth', 44, (l) => l.replace(/","(\d+)\.(\d+)"\]/, '","-$1.$2"]')) // a signed size
  edit('@depth', 45, (l) => l.replace('"s":"BTCUSDT"', '"s":"ETHUSDT"')) // another symbol
  edit('@depth', 46, (l) => l.replace(/"E":(\d+)/, '"E":$1.5')) // a fractional time
  edit('@depth', 47, (l) => l.replace(/"U":\d+,/, '')) // a missing id
  edit('@depth', 48, (l) => l.replace(/"U":(\d+)/, '"U":0$1')) // a leading zero (not JSON)
  edit('@depth', 49, (l) => `${l} x`) // trailing garbage
  edit('@depth', 50, (l) => l.replace('}}', '},"x":1}')) // an extra top-level key
  edit('@depth', 52, (l) => l.replace('"b":[', '"b":[["1.00","2.00","3"],')) // a 3-element level
  edit('@trade', 30, (l) => l.replace('"m":true', '"m":1').replace('"m":false', '"m":0'))
  edit('@trade', 31, (l) => l.replace(/"p":"[^"]*"/, '"p":"0.00000000"')) // a zero price
  edit('@trade', 32, (l) => l.replace(/"q":"[^"]*"/, '"q":"1e-3"')) // an exponent
  edit('@trade', 33, (l) => l.replace('@trade', '@aggTrade').replace('"t":', '"a":'))
  edit('@trade', 34, (l) => l.replace(/"t":(\d+)/, '"t":1$1000000')) // an id past 15 digits
  edit('@bookTicker', 50, (l) => l.replace(/"B":"[^"]*",/, '')) // no bid size
  edit('@bookTicker', 51, (l) => l.replace(/"b":"(\d+)/, '"b":"$1\\u0030'))
  edit('@bookTicker', 52, (l) => l.replace('@bookTicker', '@bookTickers'))
  edit('@bookTicker', 53, (l) => l.replace(/^(\d+) /, '$1  ')) // two spaces after the time
  edit('@bookTicker', 54, (l) => l.replace(/^(\d+) /, '0x$1 ')) // not a decimal time
  edit('@bookTicker', 55, (l) => l.replace(/^(\d{13})\d+ /, '$1 ')) // a ms time
  edit('@bookTicker', 56, (l) => l.replace('{"stream"', '{"data":{},"stream"'))
  // Not ASCII: from its chunk on the file is read as text, so it goes last.
  const last = lines.findLastIndex((l) => l.includes('@depth'))
  lines[last] = (lines[last] ?? '').replace('"e":"depthUpdate"', '"e":"dépthUpdate"')
  return lines
}

describe.skipIf(!hasCaptures)(
  'capture scanner falls back to JSON.parse for what it does not know',
  () => {
    it('a corpus of damaged real lines comes out exactly as on the reference path', async () => {
      const [first] = captureFiles('spot-btcusdt-20240808')
      const lines = gunzipSync(readFileSync(first ?? ''))
        .toString('utf8')
        .split('\n')
        .slice(0, 6000)
      const file = join(dir, 'damaged.gz')
      writeFileSync(file, gzipSync(damaged(lines).join('\n') + '\n'))
      const ref = await same([file])
      const kinds = Object.keys(ref.summary['issueCounts'] as object)
      expect(kinds).toEqual(
        expect.arrayContaining(['malformed-line', 'off-tick-price', 'bad-number'])
      )
    })
  }
)

describe('capture scanner on single lines', () => {
  const scan = (json: string, tick = '0.01'): CaptureScanner => {
    const sc = new CaptureScanner('BTCUSDT', new PriceGrid(tick))
    const b = Buffer.from(`${json}\n`, 'latin1')
    sc.scan(b, 0, b.length - 1)
    return sc
  }

  it('reads a depth diff into ticks and lots, and builds the DepthMsg JSON.parse would', () => {
    const json =
      '{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161256299,"s":"BTCUSDT","U":10,"u":12,"b":[["61837.63000000","3.78826000"]],"a":[["61837.64","0.000"]]}}'
    const sc = scan(json)
    expect(sc.kind).toBe(SCAN_DEPTH)
    expect([sc.E, sc.U, sc.u, sc.pu]).toEqual([1723161256299, 10, 12, NaN])
    expect([sc.bidTicks[0], sc.bidLots[0], sc.askTicks[0], sc.askLots[0]]).toEqual([
      6183763, 378826000, 6183764, 0
    ])
    const { kind: _k, ...msg } = scannedDepth(sc)
    expect(msg).toEqual({ ...(parseCaptureJson(json) as object), kind: undefined })
  })

  it('grows its level arrays for a diff of thousands of levels', () => {
    const levels = Array.from({ length: 3000 }, (_, i) => `["${1000 + i}.00","${i}.5"]`)
    const sc = scan(
      `{"stream":"btcusdt@depth","data":{"E":1,"s":"BTCUSDT","U":1,"u":2,"b":[${levels.join(',')}],"a":[]}}`
    )
    expect(sc.kind).toBe(SCAN_DEPTH)
    expect(sc.nBids).toBe(3000)
    expect([sc.bidTicks[2999], sc.bidLots[2999]]).toEqual([399900, 299950000000])
    expect(scannedDepth(sc).bids[2999]).toEqual(['3999.00', '2999.5'])
  })

  it('refuses what it does not know exactly (those lines take JSON.parse)', () => {
    const ok =
      '{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":5,"p":"1.01","q":"2","T":3,"m":true,"M":true}}'
    expect(scan(ok).kind).toBe(SCAN_TRADE)
    for (const bad of [
      ok.replace('"p":"1.01"', '"p":"1.015"'), // off the tick
      ok.replace('"p":"1.01"', '"p":"1.0\\u0031"'), // an escape
      ok.replace('"t":5', '"t": 5'), // whitespace
      ok.replace('"t":5', '"t":5,"t":6'), // a repeated key
      ok.replace('"t":5', '"t":5.0'), // not an integer
      ok.replace('"t":5', '"t":05'), // not JSON
      ok.replace('"m":true', '"m":null'),
      ok.replace('BTCUSDT', 'ETHUSDT'),
      ok.replace('"T":3,', ''), // a missing field
      `${ok} `
    ]) {
      expect(scan(bad).kind, bad).toBe(SCAN_NONE)
    }
  })
})
