// The Book's "CSV of the visible window" on the REAL spot BTCUSDT capture: every trade of the
// window as Binance sent it (price, quantity, aggressor, trade time), every book frame of the window
// with the best levels the scrubber shows, in time order, and a window too big refused in words.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { PriceGrid } from '../../../src-shared/units'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import { TimelineRecorder } from '../../../src-main/engine/sink/timeline'
import { TimelineFiles } from '../../../src-main/replay/timelineFiles'
import { TimelineStore } from '../../../src-main/replay/timelineStore'
import { CSV_HEADER, unitsText, windowCsv } from '../../../src-main/replay/windowCsv'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

const SET = 'spot-btcusdt-20240808'
const dirs = tempDir('lakebook-window-csv-')
const store = new TimelineStore((id) => join(dirs, id), 2)
const FROM = Date.UTC(2024, 7, 9, 0, 0, 0)
const TO = FROM + 60_000

/** Binance's decimal string without its trailing zeros ("61837.63000000" → "61837.63"). */
const plain = (s: string): string => s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')

describe.skipIf(!hasCaptures)('CSV of a window of a replay (real capture)', () => {
  beforeAll(async () => {
    const timeline = new TimelineRecorder(0)
    const r = await replayCapture(captureFiles(SET), { timeline })
    const grid = new PriceGrid(r.tick)
    timeline.write(join(dirs, SET), {
      symbol: r.symbol,
      tick: r.tick,
      priceScale: grid.scale,
      tickStep: grid.step,
      lotScale: 8
    })
  }, 120_000)

  it('holds every trade of the window exactly as the capture has it, and every frame', () => {
    const { csv, frames, trades } = store.csv(SET, FROM, TO)
    const lines = csv.trim().split('\n')
    expect(lines[0]).toBe(CSV_HEADER)
    const rows = lines.slice(1).map((l) => l.split(','))
    const tradeRows = rows.filter((r) => r[2] === 'trade')
    const bookRows = rows.filter((r) => r[2] === 'book')
    expect(tradeRows.length).toBe(trades)
    expect(bookRows.length).toBe(frames)
    expect(frames).toBeGreaterThan(100)

    // The trades straight from the capture files (trade time T in the window), deduplicated by id.
    const seen = new Map<number, string>()
    for (const f of captureFiles(SET))
      for (const line of gunzipSync(readFileSync(f)).toString('utf8').split('\n')) {
        if (!line.includes('@trade')) continue
        const d = (
          JSON.parse(line.slice(line.indexOf(' ') + 1)) as {
            data: { t: number; T: number; p: string; q: string; m: boolean }
          }
        ).data
        if (d.T >= FROM && d.T <= TO)
          seen.set(d.t, [d.T, plain(d.p), plain(d.q), d.m ? 'sell' : 'buy'].join(','))
      }
    const expected = [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v)
    expect(tradeRows.map((r) => [r[1], r[8], r[9], r[10]].join(','))).toEqual(expected)

    // Time order, ISO times that match the ms, and each book row the scrubber's frame at its time.
    let prev = -Infinity
    for (const r of rows) {
      const t = Number(r[1])
      expect(t).toBeGreaterThanOrEqual(prev)
      expect(new Date(r[0] ?? '').getTime()).toBe(t)
      prev = t
    }
    for (const r of bookRows.filter((_, i) => i % 37 === 0)) {
      const f = store.frame(SET, 0, Number(r[1]))
      const sameTime = bookRows.filter((x) => x[1] === r[1]).at(-1)
      expect(sameTime?.[3]).toBe(String(f.updateId))
      expect(Number(sameTime?.[4])).toBe(f.bids[0]?.[0])
      expect(Number(sameTime?.[5])).toBe(f.bids[0]?.[1])
      expect(Number(sameTime?.[6])).toBe(f.asks[0]?.[0])
      expect(Number(sameTime?.[7])).toBe(f.asks[0]?.[1])
    }
  })

  it('refuses a window with more rows than a view CSV may have, in a sentence', () => {
    const files = new TimelineFiles(join(dirs, SET))
    expect(() => windowCsv(files, FROM, TO, 50)).toThrow(/more than the 50 rows .*zoom in/)
    expect(windowCsv(files, FROM, FROM, 50).csv).toBe(`${CSV_HEADER}\n`)
  })
})

describe('exact decimals from integer units (synthetic values)', () => {
  it('prints units at a scale without floats or trailing zeros', () => {
    expect(unitsText(16, 8)).toBe('0.00000016')
    expect(unitsText(154698000, 8)).toBe('1.54698')
    expect(unitsText(6183763, 2)).toBe('61837.63')
    expect(unitsText(6183700, 2)).toBe('61837')
    expect(unitsText(0, 8)).toBe('0')
    expect(unitsText(-250, 2)).toBe('-2.5')
    expect(unitsText(NaN, 2)).toBe('')
  })
})
