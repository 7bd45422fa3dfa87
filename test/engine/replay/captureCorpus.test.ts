// The hostile capture corpus: every variant is a DAMAGED COPY OF THE REAL spot capture (its
// lines are "<receive ns> <json>"), changed here in one way — a line cut, garbled, retyped or
// repeated, a value made impossible, the file cut, not gzip, not a file. Each must end in its
// named outcome: the issue kinds it is counted under (and the run incomplete), or a refusal in one
// sentence naming the file. Nothing may pass as complete, crash, or hang. The totals of this and
// the other corpora are in docs/hostile-inputs.md.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync, gunzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import type { InputIssue } from '../../../src-shared/replay'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

type Kind = InputIssue['kind']

interface Variant {
  readonly name: string
  /** Lines → lines, or lines → the file's bytes (for byte-level damage). */
  readonly lines?: (l: string[]) => string[]
  readonly bytes?: (gz: Buffer, l: string[]) => Buffer
  /** Writes the input itself (not a plain file); returns its path. */
  readonly path?: (dir: string, gz: Buffer) => string
  /** The issue kinds it must be counted under (count, or 'some' for at least one). */
  readonly issues?: Partial<Record<Kind, number | 'some'>>
  /** Other issue kinds may be counted too (the damage's side effects are not fixed). */
  readonly otherKinds?: true
  /** Damage that is counted but harmless: the run completes (the count is checked in `also`). */
  readonly complete?: true
  /** Or: the replay refuses it with an error matching this. */
  readonly refused?: RegExp
  /** Further facts of the outcome. */
  readonly also?: (r: Awaited<ReturnType<typeof replayCapture>>) => void
}

/** Index of the k-th line holding `needle`. */
const nth = (l: readonly string[], needle: string, k: number): number => {
  let seen = 0
  for (let i = 0; i < l.length; i++) if ((l[i] ?? '').includes(needle) && seen++ === k) return i
  throw new Error(`no line ${k} with ${needle}`)
}
const at = (l: string[], i: number, f: (s: string) => string): string[] => {
  const out = [...l]
  out[i] = f(out[i] ?? '')
  return out
}
const DEPTH = '"e":"depthUpdate"'
const TRADE = '"e":"trade"'
const TICKER = '@bookTicker'
const json = (s: string): string => s.slice(s.indexOf(' ') + 1)
const recv = (s: string): string => s.slice(0, s.indexOf(' '))
/** Changes a combined-stream line's `data` object. */
const edit = (s: string, f: (d: Record<string, unknown>) => unknown): string => {
  const m = JSON.parse(json(s)) as { data: Record<string, unknown> }
  f(m.data)
  return `${recv(s)} ${JSON.stringify(m)}`
}
/** Replaces the first price of a depth line's bids. */
const firstBid = (s: string, price: string, qty?: string): string =>
  s.replace(
    /"b":\[\["([^"]+)","([^"]+)"\]/,
    (_m, p: string, q: string) => `"b":[["${price === '$' ? p : price}","${qty ?? q}"]`
  )

const VARIANTS: Variant[] = [
  // Lines that are not messages.
  {
    name: 'a line cut in the middle of its JSON',
    lines: (l) => at(l, nth(l, DEPTH, 100), (s) => s.slice(0, 80)),
    issues: { 'malformed-line': 1 }
  },
  {
    name: 'a line of binary garbage',
    lines: (l) => at(l, 500, () => '\u0001\u0002\u00ff\u00fe garbage'),
    issues: { 'malformed-line': 1 }
  },
  {
    name: 'a JSON null',
    lines: (l) => at(l, 501, (s) => `${recv(s)} null`),
    issues: { 'malformed-line': 1 }
  },
  {
    name: 'a JSON array',
    lines: (l) => at(l, 502, (s) => `${recv(s)} [1,2,3]`),
    issues: { 'malformed-line': 1 }
  },
  {
    name: 'an empty object',
    lines: (l) => at(l, 503, (s) => `${recv(s)} {}`),
    issues: { 'malformed-line': 1 }
  },
  {
    name: 'a stream the replay does not know (kline)',
    lines: (l) => at(l, 504, (s) => s.replace(/"stream":"[^"]+"/, '"stream":"btcusdt@kline_1m"')),
    issues: { 'unknown-stream': 1 }
  },
  {
    name: 'no receive time before the JSON',
    lines: (l) => at(l, nth(l, TRADE, 10), json),
    issues: { 'malformed-line': 1 }
  },
  {
    name: 'a receive time that is not a number',
    lines: (l) => at(l, nth(l, TRADE, 11), (s) => `17231612x4 ${json(s)}`),
    issues: { 'malformed-line': 1 }
  },
  {
    name: 'a UTF-8 byte order mark before the first line',
    lines: (l) => at(l, 0, (s) => `\ufeff${s}`),
    issues: { 'malformed-line': 1 }
  },
  // Values that cannot be prices or sizes.
  {
    name: 'a depth price that is not a number',
    lines: (l) => at(l, nth(l, DEPTH, 200), (s) => firstBid(s, 'abc')),
    issues: { 'off-tick-price': 1 }
  },
  {
    name: 'a depth price off the 0.01 tick',
    lines: (l) => at(l, nth(l, DEPTH, 201), (s) => firstBid(s, '61000.005')),
    issues: { 'off-tick-price': 1 }
  },
  {
    name: 'a depth price of 5e-324',
    lines: (l) => at(l, nth(l, DEPTH, 202), (s) => firstBid(s, '5e-324')),
    issues: { 'off-tick-price': 1 }
  },
  {
    name: 'a negative depth quantity',
    lines: (l) => at(l, nth(l, DEPTH, 203), (s) => firstBid(s, '$', '-1.00000000')),
    issues: { 'bad-number': 1 }
  },
  {
    name: 'a depth quantity of 1e20',
    lines: (l) => at(l, nth(l, DEPTH, 204), (s) => firstBid(s, '$', '100000000000000000000')),
    issues: { 'bad-number': 1 }
  },
  {
    name: 'a trade price of 0',
    lines: (l) => at(l, nth(l, TRADE, 20), (s) => s.replace(/"p":"[^"]+"/, '"p":"0.00000000"')),
    issues: { 'off-tick-price': 1 }
  },
  {
    name: 'a trade quantity that is not a number',
    lines: (l) => at(l, nth(l, TRADE, 21), (s) => s.replace(/"q":"[^"]+"/, '"q":"NaN"')),
    issues: { 'bad-number': 1 }
  },
  {
    name: 'a trade price given as a JSON number',
    lines: (l) => at(l, nth(l, TRADE, 22), (s) => s.replace(/"p":"([^"]+)"/, '"p":$1')),
    issues: { 'malformed-line': 1 }
  },
  // Sequences that do not hold together.
  {
    name: 'one trade line repeated',
    lines: (l) => {
      const i = nth(l, TRADE, 30)
      return [...l.slice(0, i + 1), l[i] ?? '', ...l.slice(i + 1)]
    },
    issues: { 'duplicate-trade': 1 }
  },
  {
    name: 'every line doubled',
    lines: (l) => l.flatMap((s) => [s, s]),
    issues: { 'duplicate-trade': 'some', 'low-applied-share': 1 }
  },
  {
    name: 'no snapshot',
    lines: (l) => l.filter((s) => !s.includes('"lastUpdateId"')),
    issues: { 'low-applied-share': 1 },
    also: (r) => {
      expect(r.appliedUpdates).toBe(0)
    }
  },
  {
    name: 'a snapshot with a future update id',
    lines: (l) =>
      l.map((s) =>
        s.replace(/"lastUpdateId":(\d+)/, (_m, id: string) => `"lastUpdateId":${Number(id) + 1e9}`)
      ),
    issues: { 'low-applied-share': 1 }
  },
  {
    name: 'depth update ids going backwards from the middle on',
    lines: (l) => {
      const from = nth(l, DEPTH, 1200)
      return l.map((s, i) =>
        i < from || !s.includes(DEPTH)
          ? s
          : s.replace(
              /"U":(\d+),"u":(\d+)/,
              (_m, a: string, b: string) => `"U":${Number(a) - 1e8},"u":${Number(b) - 1e8}`
            )
      )
    },
    issues: { 'low-applied-share': 1 }
  },
  {
    name: 'exchange times in 1915 on every 50th trade',
    lines: (l) => {
      let k = 0
      return l.map((s) =>
        s.includes(TRADE) && k++ % 50 === 0 ? s.replace(/"T":\d+/, '"T":-1735689600000') : s
      )
    },
    issues: { 'implausible-time': 'some' }
  },
  {
    name: 'exchange times in 3000 on every 50th depth update',
    lines: (l) => {
      let k = 0
      return l.map((s) =>
        s.includes(DEPTH) && k++ % 50 === 0 ? s.replace(/"E":\d+/, '"E":32503680000000') : s
      )
    },
    // Each skipped depth update breaks the id chain: counted as gaps too (52 of ~2,000 updates stays
    // under the applied-share alarm's 100-update floor).
    issues: { 'implausible-time': 'some' },
    also: (r) => {
      expect(r.gaps).toBeGreaterThan(0)
    }
  },
  {
    name: 'receive times going back by a minute in the middle',
    lines: (l) => {
      const i = nth(l, TRADE, 1500)
      return at(l, i, (s) => `${BigInt(recv(s)) - 60_000_000_000n} ${json(s)}`)
    },
    issues: { 'time-backwards': 1 }
  },
  {
    name: 'a depth update for another symbol',
    lines: (l) => at(l, nth(l, DEPTH, 300), (s) => s.replace('"s":"BTCUSDT"', '"s":"ETHUSDT"')),
    // Skipped, so the id chain breaks there: a gap, counted, and applying goes on.
    issues: { 'unknown-stream': 1 },
    also: (r) => {
      expect(r.gaps).toBe(1)
    }
  },
  {
    name: 'a trade for another symbol',
    lines: (l) => at(l, nth(l, TRADE, 40), (s) => s.replace('"s":"BTCUSDT"', '"s":"ETHUSDT"')),
    issues: { 'unknown-stream': 1 }
  },
  {
    name: 'a snapshot whose bids are not a list',
    lines: (l) =>
      at(l, nth(l, '"lastUpdateId"', 0), (s) =>
        s.replace(/"bids":\[/, '"bids":{"x":[').replace('],"asks"', ']},"asks"')
      ),
    issues: { 'malformed-line': 1, 'low-applied-share': 1 }
  },
  {
    name: 'a depth update without its bids',
    lines: (l) => at(l, nth(l, DEPTH, 301), (s) => edit(s, (d) => delete d['b'])),
    issues: { 'malformed-line': 1 },
    also: (r) => {
      expect(r.gaps).toBe(1)
    }
  },
  {
    name: 'a bookTicker with its best bid missing',
    lines: (l) => at(l, nth(l, TICKER, 50), (s) => s.replace(/"b":"[^"]+",/, '')),
    issues: { 'malformed-line': 1 }
  },
  {
    name: 'a trade id given as a string',
    lines: (l) => at(l, nth(l, TRADE, 41), (s) => s.replace(/"t":(\d+)/, '"t":"$1"')),
    issues: { 'malformed-line': 1 }
  },
  {
    name: 'a depth level of three strings',
    lines: (l) =>
      at(l, nth(l, DEPTH, 302), (s) => edit(s, (d) => (d['b'] as string[][])[0]?.push('x'))),
    issues: { 'malformed-line': 1 },
    also: (r) => {
      expect(r.gaps).toBe(1)
    }
  },
  {
    name: 'a depth price with 20 decimals',
    lines: (l) => at(l, nth(l, DEPTH, 303), (s) => firstBid(s, '61000.00000000000000000001')),
    issues: { 'off-tick-price': 1 }
  },
  {
    name: 'a line of ten million spaces',
    lines: (l) => at(l, 600, () => ' '.repeat(10_000_000)),
    issues: { 'malformed-line': 1 }
  },
  {
    name: 'a receive time in milliseconds instead of nanoseconds',
    lines: (l) => at(l, nth(l, TRADE, 1501), (s) => `${BigInt(recv(s)) / 1_000_000n} ${json(s)}`),
    issues: { 'time-backwards': 1 }
  },
  {
    name: 'one depth update repeated (stale, counted, harmless)',
    lines: (l) => {
      const i = nth(l, DEPTH, 400)
      return [...l.slice(0, i + 1), l[i] ?? '', ...l.slice(i + 1)]
    },
    complete: true,
    also: (r) => {
      expect(r.staleUpdates).toBe(1)
    }
  },
  {
    name: 'one depth update removed (a gap, counted with its ids)',
    lines: (l) => l.filter((_s, i) => i !== nth(l, DEPTH, 500)),
    complete: true,
    also: (r) => {
      expect(r.gaps).toBe(1)
      expect(r.gapList[0]?.nextU).toBeGreaterThan(r.gapList[0]?.afterU ?? Infinity)
    }
  },
  {
    name: 'twenty trades removed (an id gap, counted)',
    lines: (l) => {
      const from = nth(l, TRADE, 2500)
      let k = 0
      return l.filter((s, i) => !(i >= from && s.includes(TRADE) && k++ < 20))
    },
    complete: true,
    also: (r) => {
      expect(r.tradeIdGaps).toBe(1)
    }
  },
  // Files that are not whole.
  {
    name: 'the gzip cut 1,000 bytes before its end',
    bytes: (gz) => gz.subarray(0, gz.length - 1000),
    issues: { 'truncated-file': 1, 'partial-line': 1 }
  },
  {
    name: 'the gzip cut to its first 10 bytes',
    bytes: (gz) => gz.subarray(0, 10),
    refused: /capture\.gz: no depth message in the first 5000 lines/
  },
  {
    name: 'flipped bytes inside the deflate stream',
    bytes: (gz) => {
      const b = Buffer.from(gz)
      for (let i = 5000; i < 5016; i++) b[i] = (b[i] ?? 0) ^ 0xff
      return b
    },
    // Inflated garbage until the check fails: what the garbage looks like depends on the bytes
    // (malformed lines, impossible times …), so only the file's own verdict is fixed.
    issues: { 'corrupt-file': 1 },
    otherKinds: true
  },
  {
    // The reader sniffs the gzip magic, so uncompressed lines are read as lines, whatever the name;
    // cut after 300 lines mid-message, the last one is partial.
    name: 'plain text named .gz, cut inside a line',
    bytes: (_gz, l) => Buffer.from(l.slice(0, 300).join('\n') + '\n' + (l[300] ?? '').slice(0, 50)),
    issues: { 'partial-line': 1 }
  },
  {
    name: 'an empty file',
    bytes: () => Buffer.alloc(0),
    refused: /capture\.gz: no depth message in the first 5000 lines/
  },
  {
    name: 'the last line without its newline',
    bytes: (_gz, l) => gzipSync(Buffer.from(l.join('\n'))),
    issues: { 'partial-line': 1 }
  },
  // Not a file the replay may read.
  {
    name: 'a directory named .gz',
    path: (dir) => {
      const p = join(dir, 'dir.gz')
      mkdirSync(p)
      return p
    },
    refused: /dir\.gz.*(directory|not a regular file)|(directory|not a regular file).*dir\.gz/
  },
  {
    name: 'a symlink to /dev/zero',
    path: (dir) => {
      const p = join(dir, 'zero.gz')
      symlinkSync('/dev/zero', p)
      return p
    },
    refused: /zero\.gz.*not a regular file|not a regular file.*zero\.gz/
  },
  {
    name: 'a symlink loop',
    path: (dir) => {
      const p = join(dir, 'loop.gz')
      symlinkSync(p, p)
      return p
    },
    refused: /loop\.gz: a symlink loop, refused/
  },
  {
    name: 'a file that does not exist',
    path: (dir) => join(dir, 'missing.gz'),
    refused: /missing\.gz/
  }
]

const LINES = 30_000
const pack = (l: readonly string[]): Buffer =>
  gzipSync(Buffer.from(l.join('\n') + '\n'), { level: 1 })

const ENV_TABLE = process.env['LAKEBOOK_CORPUS_TABLE'] !== undefined

describe.skipIf(!hasCaptures)('hostile capture corpus (damaged copies of the real capture)', () => {
  let lines: string[] = []
  let gz: Buffer = Buffer.alloc(0)
  beforeAll(() => {
    // The first 30,000 real lines (snapshot, ~2,000 depth updates, ~6,000 trades): enough for
    // every damage, and a third of the time per variant.
    lines = captureFiles('spot-btcusdt-20240808')
      .flatMap((f) =>
        gunzipSync(readFileSync(f))
          .toString('utf8')
          .split('\n')
          .filter((s) => s !== '')
      )
      .slice(0, LINES)
    gz = pack(lines)
  })

  it('the undamaged capture (rewritten the same way) is complete: the failures come from the damage', async () => {
    const dir = tempDir('lakebook-corpus-')
    const p = join(dir, 'control.gz')
    writeFileSync(p, gz)
    const r = await replayCapture([p])
    expect(r.complete).toBe(true)
    expect(r.issueCounts).toEqual({})
  })

  for (const v of VARIANTS) {
    it(v.name, async () => {
      const dir = tempDir('lakebook-corpus-')
      let p: string
      if (v.path) p = v.path(dir, gz)
      else {
        p = join(dir, 'capture.gz')
        writeFileSync(p, v.bytes ? v.bytes(gz, lines) : pack(v.lines?.(lines) ?? lines))
      }
      if (v.refused) {
        const err = await replayCapture([p]).then(
          () => null,
          (e: unknown) => e
        )
        if (ENV_TABLE) process.stderr.write(`${v.name}\trefused\t${String(err)}\n`)
        expect(err).toBeInstanceOf(Error)
        expect((err as Error).message).toMatch(v.refused)
        expect((err as Error).message).not.toMatch(/^\s+at /m)
        return
      }
      const r = await replayCapture([p])
      if (ENV_TABLE) process.stderr.write(`${v.name}\t${JSON.stringify(r.issueCounts)}\n`)
      expect(r.complete).toBe(v.complete === true)
      const want = v.issues ?? {}
      for (const [kind, n] of Object.entries(want) as [Kind, number | 'some'][]) {
        if (n === 'some') expect(r.issueCounts[kind] ?? 0).toBeGreaterThan(0)
        else expect(r.issueCounts[kind] ?? 0).toBe(n)
      }
      // Only the kinds named (a damage must not also be misread as something else).
      if (v.otherKinds !== true)
        expect(Object.keys(r.issueCounts).sort()).toEqual(Object.keys(want).sort())
      // Every counted issue keeps at least one example naming the file and the line.
      for (const kind of Object.keys(want)) {
        const ex = r.issues.find((i) => i.kind === kind)
        expect(ex?.file).toBe(p)
        expect(ex?.message).toBeTruthy()
      }
      v.also?.(r)
    })
  }
})
