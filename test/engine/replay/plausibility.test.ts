// The plausibility layer of the capture replay on inputs made from the REAL spot capture (every
// line kept, then doubled, re-timed or stripped of its snapshot here, in the test): each silently
// wrong case of before is now a named, counted issue and an incomplete run; the real capture
// itself raises none.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir, writeCapture } from '../../helpers/synthetic'

const realLines = (): string[] =>
  captureFiles('spot-btcusdt-20240808').flatMap((f) =>
    gunzipSync(readFileSync(f))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
  )

async function replayLines(name: string, lines: string[]) {
  return replayCapture([writeCapture(tempDir('lakebook-plaus-'), `${name}.gz`, lines)])
}

describe.skipIf(!hasCaptures)('capture replay plausibility (real spot capture)', () => {
  it('the real capture is complete', async () => {
    const r = await replayLines('real', realLines())
    expect(r.complete).toBe(true)
    expect(r.appliedUpdates / r.depthUpdates).toBeGreaterThan(0.999)
  })

  it('every line doubled: repeated trades skipped, stale depth updates make it incomplete', async () => {
    const r = await replayLines(
      'doubled',
      realLines().flatMap((l) => [l, l])
    )
    expect(r.complete).toBe(false)
    expect(r.issueCounts['duplicate-trade']).toBe(r.trades / 2)
    expect(r.issueCounts['low-applied-share']).toBe(1)
    expect(r.issues.find((i) => i.kind === 'low-applied-share')?.message).toMatch(
      /^only 6493 of 12990 depth updates \(50\.0 %\) reached the book: 6493 stale/
    )
  })

  it('no snapshot: nothing applied, said so', async () => {
    const r = await replayLines(
      'nosnapshot',
      realLines().filter((l) => !l.includes('"lastUpdateId"'))
    )
    expect(r.appliedUpdates).toBe(0)
    expect(r.complete).toBe(false)
    expect(r.issues.find((i) => i.kind === 'low-applied-share')?.message).toContain(
      'no snapshot was recorded'
    )
  })

  it('a snapshot with a future update id: every diff discarded, said so', async () => {
    const r = await replayLines(
      'future',
      realLines().map((l) =>
        l.replace(/"lastUpdateId":(\d+)/, (_m, id: string) => `"lastUpdateId":${Number(id) + 1e9}`)
      )
    )
    expect(r.appliedUpdates).toBe(0)
    expect(r.issues.find((i) => i.kind === 'low-applied-share')?.message).toMatch(
      /before or at the snapshot's id/
    )
  })

  it('the real capture replayed two years later (a steady clock offset) is complete', async () => {
    const later = realLines().map((l) => {
      const sp = l.indexOf(' ')
      return `${BigInt(l.slice(0, sp)) + 730n * 86_400_000_000_000n}${l.slice(sp)}`
    })
    const r = await replayLines('later', later)
    expect(r.complete).toBe(true)
  })

  it('exchange times in 1915 and 3000, and a jump of hours, are refused line by line', async () => {
    let k = 0
    let changed = 0
    const lines = realLines().map((l) => {
      if (!l.includes('"e":"trade"') || k++ % 100 !== 0) return l
      changed++
      // 1915-01-01, 3000-01-01, or five hours ahead of its real time.
      const k3 = changed % 3
      return l.replace(/"T":(\d+)/, (_m, t: string) =>
        k3 === 0
          ? '"T":-1735689600000'
          : k3 === 1
            ? '"T":32503680000000'
            : `"T":${Number(t) + 5 * 3.6e6}`
      )
    })
    const r = await replayLines('clock', lines)
    expect(r.complete).toBe(false)
    expect(changed).toBeGreaterThan(10)
    expect(r.issueCounts['implausible-time']).toBe(changed)
    const messages = r.issues.filter((i) => i.kind === 'implausible-time').map((i) => i.message)
    expect(messages).toContain(
      'exchange time 1915-01-01T00:00:00.000Z is before Binance existed; message skipped'
    )
    expect(messages).toContain(
      'exchange time 3000-01-01T00:00:00.000Z is after the line was received; message skipped'
    )
    expect(
      messages.some((m) =>
        /is 5\.0 h ahead of the capture's clock offset; message skipped$/.test(m)
      )
    ).toBe(true)
    expect(r.issues.find((i) => i.kind === 'implausible-time')?.message).toMatch(
      /^exchange time \S+ (is before Binance existed|is after the line was received|is 5\.0 h ahead of the capture's clock offset); message skipped$/
    )
    expect(r.firstExchangeTime?.startsWith('2024-08-08')).toBe(true)
    expect(r.lastExchangeTime?.startsWith('2024-08-09')).toBe(true)
  })
})
