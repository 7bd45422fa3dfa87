// Edge cases on SYNTHETIC captures built here: each gives a counted event or a clear error naming
// file and line, never a crash.
import { describe, expect, it } from 'vitest'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import {
  bookTicker,
  depth,
  line,
  snapshot,
  tempDir,
  trade,
  writeCapture
} from '../../helpers/synthetic'

const base = (): string[] => [
  line(depth(101, 103, [['100.00', '1']], [])),
  line(
    snapshot(
      102,
      [
        ['100.00', '2'],
        ['99.99', '3']
      ],
      [
        ['100.01', '4'],
        ['100.02', '5']
      ]
    )
  ),
  line(depth(104, 106, [['100.00', '1.5']], [['100.01', '0']]))
]

describe('capture replay edge cases (synthetic input)', () => {
  it('applies the documented bridge and matches a bookTicker checkpoint', async () => {
    const dir = tempDir()
    const f = writeCapture(dir, 'a.gz', [
      ...base(),
      line(bookTicker(106, '100.00', '1.5', '100.02', '5'))
    ])
    const r = await replayCapture([f], { market: 'spot', tick: '0.01' })
    expect(r.appliedUpdates).toBe(2)
    expect(r.gaps).toBe(0)
    expect(r.bbo).toMatchObject({ compared: 1, matched: 1, arrivedAfterDiff: 1 })
    expect(r.unknownDeletes).toBe(0)
  })

  it('counts a sequence gap with its ids and place, and keeps going', async () => {
    const dir = tempDir()
    const f = writeCapture(dir, 'gap.gz', [...base(), line(depth(110, 112, [['99.98', '1']], []))])
    const r = await replayCapture([f], { market: 'spot', tick: '0.01' })
    expect(r.gaps).toBe(1)
    expect(r.gapList[0]).toMatchObject({ afterU: 106, nextU: 110, file: f, line: 4 })
    expect(r.appliedUpdates).toBe(3)
  })

  it('with wait-snapshot, drops the book at a gap and resyncs on the next snapshot', async () => {
    const dir = tempDir()
    const f = writeCapture(dir, 'gap2.gz', [
      ...base(),
      line(depth(110, 112, [['99.98', '1']], [])),
      line(depth(113, 115, [['99.97', '1']], [])),
      line(snapshot(114, [['100.00', '9']], [['100.03', '1']])),
      line(depth(115, 116, [['100.00', '8']], [])),
      line(bookTicker(116, '100.00', '8', '100.03', '1'))
    ])
    const r = await replayCapture([f], { market: 'spot', tick: '0.01', onGap: 'wait-snapshot' })
    expect(r.gaps).toBe(1)
    expect(r.resyncs).toBe(1)
    expect(r.bbo).toMatchObject({ compared: 1, matched: 1 })
  })

  it('with keep-applying, bridges a resync snapshot from the diffs applied since the gap', async () => {
    const dir = tempDir()
    // As in a live capture: after a gap the bridging diff arrives before the new snapshot.
    const f = writeCapture(dir, 'resync.gz', [
      ...base(),
      line(depth(110, 112, [['99.98', '1']], [])),
      line(depth(113, 116, [['99.97', '2']], [])),
      line(bookTicker(116, '100.00', '1.5', '100.02', '5')), // out of sync: not compared
      line(
        snapshot(
          114,
          [
            ['100.00', '9'],
            ['99.97', '1']
          ],
          [['100.03', '1']]
        )
      ),
      line(depth(117, 118, [['100.00', '8']], [])),
      line(bookTicker(118, '100.00', '8', '100.03', '1'))
    ])
    const r = await replayCapture([f], { market: 'spot', tick: '0.01', onGap: 'keep-applying' })
    expect(r.gaps).toBe(1)
    expect(r.resyncs).toBe(1)
    expect(r.bbo).toMatchObject({ compared: 1, matched: 1, skippedUnsynced: 1 })
  })

  it('measures a crossed book in exchange time', async () => {
    const dir = tempDir()
    const f = writeCapture(dir, 'cross.gz', [
      ...base(),
      line(depth(107, 107, [['100.05', '1']], [], 1_723_161_300_000)),
      line(depth(108, 108, [['100.05', '0']], [], 1_723_161_300_250))
    ])
    const r = await replayCapture([f], { market: 'spot', tick: '0.01' })
    expect(r.crossings).toBe(1)
    expect(r.crossedMs).toBe(250)
  })

  it('counts deletes of levels the book never held', async () => {
    const dir = tempDir()
    const f = writeCapture(dir, 'del.gz', [
      ...base(),
      line(depth(107, 107, [['90.00', '0']], [['110.00', '0']]))
    ])
    const r = await replayCapture([f], { market: 'spot', tick: '0.01' })
    expect(r.unknownDeletes).toBe(2)
  })

  it('names the file and line of a malformed JSON line and an unknown stream', async () => {
    const dir = tempDir()
    const good = base()
    const f = writeCapture(dir, 'bad.gz', [
      good[0] ?? '',
      '1723161253000000000 {"stream":"btcusdt@depth@100ms","data":{',
      good[1] ?? '',
      line({ stream: 'btcusdt@kline_1m', data: { k: {} } }),
      'garbage without timestamp',
      good[2] ?? ''
    ])
    const r = await replayCapture([f], { market: 'spot', tick: '0.01' })
    expect(r.complete).toBe(false)
    expect(r.issueCounts).toMatchObject({ 'malformed-line': 2, 'unknown-stream': 1 })
    expect(r.issues.find((i) => i.kind === 'unknown-stream')).toMatchObject({ file: f, line: 4 })
    expect(r.issues.filter((i) => i.kind === 'malformed-line').map((i) => i.line)).toEqual([2, 5])
    expect(r.appliedUpdates).toBe(2)
  })

  it('reports a truncated gzip file as incomplete after the last whole line', async () => {
    const dir = tempDir()
    const many = [...base()]
    for (let i = 0; i < 2000; i++) many.push(line(trade(1000 + i, '100.00', '0.01', i % 2 === 0)))
    const f = writeCapture(dir, 'trunc.gz', many, { truncateBytes: 200 })
    const r = await replayCapture([f], { market: 'spot', tick: '0.01' })
    expect(r.complete).toBe(false)
    expect(r.issueCounts['truncated-file']).toBe(1)
    expect(r.issues[0]?.file).toBe(f)
    expect(r.trades).toBeGreaterThan(0)
    expect(r.trades).toBeLessThan(2000)
  })

  it('skips and counts a final line without newline, and an off-tick price', async () => {
    const dir = tempDir()
    const f = writeCapture(
      dir,
      'partial.gz',
      [
        ...base(),
        line(depth(107, 107, [['100.005', '1']], [])),
        line(trade(1, '100.00', '1', true))
      ],
      {
        noFinalNewline: true
      }
    )
    const r = await replayCapture([f], { market: 'spot', tick: '0.01' })
    expect(r.issueCounts).toMatchObject({ 'partial-line': 1, 'off-tick-price': 1 })
    expect(r.issues.find((i) => i.kind === 'off-tick-price')).toMatchObject({ file: f, line: 4 })
    expect(r.trades).toBe(0)
  })

  it('fails clearly on a missing file', async () => {
    await expect(replayCapture(['/nonexistent/capture.gz'])).rejects.toThrow(
      /\/nonexistent\/capture.gz: capture file not found/
    )
  })
})
