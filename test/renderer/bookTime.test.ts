// The Book page's one time axis and its error sentences. Times are the REAL ones of the shared
// captures (the issue's example update id 50093240814 at 23:54:16.508 on 2024-08-08, the NEXOUSDT
// span 2024-07-23 15:39:43.710 → 07-25 01:51:46.942); errors are the ones the real request and job
// schemas produce for a wrong request.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { fmtTime } from '../../src-shared/format'
import { invokeSchemas } from '../../src-shared/ipc/schemas'
import { jobSpec } from '../../src-shared/jobs'
import { issuesText } from '../../src-main/util/errors'
import { plainError } from '../../src-renderer/src/plainError'
import {
  clampView,
  parseUtcTime,
  tickLabel,
  timeStep,
  zoomView
} from '../../src-renderer/src/timeAxis'
import { formatHash, parseHash } from '../../src-renderer/src/hashView'

const EXAMPLE = Date.parse('2024-08-08T23:54:16.508Z')
const NEXO = {
  fromMs: Date.parse('2024-07-23T15:39:43.710Z'),
  toMs: Date.parse('2024-07-25T01:51:46.942Z')
}

describe('typed times (UTC, exchange time, ms)', () => {
  it('reads the page’s own format back, and its variants', () => {
    expect(parseUtcTime(fmtTime(EXAMPLE), null)).toBe(EXAMPLE)
    expect(parseUtcTime('2024-08-08T23:54:16.508Z', null)).toBe(EXAMPLE)
    expect(parseUtcTime('2024-08-08 23:54:16.5', null)).toBe(EXAMPLE - 8)
    expect(parseUtcTime('2024-08-08 23:54', null)).toBe(Date.parse('2024-08-08T23:54:00Z'))
    expect(parseUtcTime(String(EXAMPLE), null)).toBe(EXAMPLE)
  })

  it('puts a bare time on the day nearest the cursor (a capture crossing midnight)', () => {
    expect(parseUtcTime('23:54:16.508', EXAMPLE + 60_000)).toBe(EXAMPLE)
    // From 23:58 on 08-08, 00:03:30 is five minutes later, on 08-09.
    const cursor = Date.parse('2024-08-08T23:58:00Z')
    expect(parseUtcTime('00:03:30.250', cursor)).toBe(Date.parse('2024-08-09T00:03:30.250Z'))
    expect(parseUtcTime('00:03:30', null)).toBeNull()
  })

  it('refuses what is not a time', () => {
    for (const s of ['yesterday', '', '25:00', '2024-08-08 23:61', '12:00:60', '2024-08-08'])
      expect(parseUtcTime(s, EXAMPLE), s).toBeNull()
  })
})

describe('tick labels in one format', () => {
  it('are fmtTime cut to the step: ms below a second, the date where it changes', () => {
    expect(tickLabel(EXAMPLE, 100, null)).toBe('23:54:16.508\n2024-08-08')
    expect(tickLabel(EXAMPLE, 100, EXAMPLE - 100)).toBe('23:54:16.508')
    expect(tickLabel(EXAMPLE, 1000, EXAMPLE - 1000)).toBe('23:54:16')
    const midnight = Date.parse('2024-07-24T00:00:00Z')
    expect(tickLabel(midnight, 6 * 3_600_000, midnight - 6 * 3_600_000)).toBe(
      '00:00:00\n2024-07-24'
    )
  })

  it('step the NEXOUSDT 34 h in hours, and a 10 s window in seconds', () => {
    expect(timeStep(NEXO.toMs - NEXO.fromMs, 10)).toBe(6 * 3_600_000)
    expect(timeStep(10_000, 10)).toBe(1000)
  })
})

describe('the shared window', () => {
  it('zooms around the time under the pointer and stays inside the replay', () => {
    const v = { fromMs: EXAMPLE - 30_000, toMs: EXAMPLE + 30_000 }
    const z1 = zoomView(v, EXAMPLE, 0.5, NEXO.fromMs < v.fromMs ? v : NEXO)
    expect(z1.toMs - z1.fromMs).toBe(30_000)
    expect((z1.fromMs + z1.toMs) / 2).toBe(EXAMPLE)
    // Zoomed out past the whole replay: the whole replay (and a little margin), no more.
    const out = zoomView({ fromMs: NEXO.fromMs, toMs: NEXO.toMs }, NEXO.fromMs, 10, NEXO)
    expect(out.toMs - out.fromMs).toBeCloseTo((NEXO.toMs - NEXO.fromMs) * 1.05, -1)
    const pannedAway = clampView({ fromMs: 0, toMs: 60_000 }, NEXO)
    expect(pannedAway.fromMs).toBeGreaterThan(NEXO.fromMs - (NEXO.toMs - NEXO.fromMs) * 0.03)
  })
})

describe('the view in the URL hash', () => {
  it('round-trips job, cursor and window', () => {
    const v = {
      job: '20261202T153938-replay-lake-cbf47d',
      timeMs: EXAMPLE,
      view: { fromMs: EXAMPLE - 5000, toMs: EXAMPLE + 5000 }
    }
    expect(parseHash(formatHash(v))).toEqual(v)
    expect(parseHash('#job=x&t=nope')).toEqual({ job: 'x' })
    expect(formatHash({})).toBe('')
  })
})

describe('errors as sentences', () => {
  it('a job spec the schema refuses (as the job manager words it)', () => {
    const spec = {
      kind: 'replay-lake',
      params: { root: '', exchange: 'BINANCE', symbol: 'BTC-USDT', from: '8 Aug 2024' }
    }
    const r = jobSpec.safeParse(spec)
    expect(r.success).toBe(false)
    if (r.success) return
    const text = plainError(new Error(`invalid replay-lake job: ${issuesText(r.error)}`))
    expect(text).toMatch(/^The replay-lake job was not started: /)
    expect(text).toContain('“root” is empty; “from”: "8 Aug 2024" is not a day as YYYY-MM-DD')
    expect(text).toMatch(/Correct it and start again\.$/)
    expect(text).not.toMatch(/params\.|[[{]/)
  })

  it('a validation library’s raw issue list (its JSON message)', () => {
    const r = invokeSchemas['replay.frame'].safeParse({ jobId: 'j', index: 'first' })
    expect(r.success).toBe(false)
    if (r.success) return
    expect(r.error.message.trim().startsWith('[')).toBe(true)
    const text = plainError(r.error)
    expect(text).toBe(
      'Some values were not accepted: “index” should be a number, not a string. Correct them and try again.'
    )
  })

  it('a request the engine refused, and a replay without a timeline', () => {
    const r = invokeSchemas['replay.series'].safeParse({ jobId: 'j', maxPoints: 5 })
    if (r.success) throw new Error('accepted')
    const text = plainError(`invalid request for replay.series: ${issuesText(r.error)}`)
    expect(text).toMatch(
      /^The page asked the engine for something it could not read \(“maxPoints” /
    )
    expect(text).toContain('Reload the page')
    expect(plainError(new Error('no timeline recorded for job 2026-x'))).toMatch(
      /^Job 2026-x kept no book timeline .*replay its source again/
    )
    // The engine's own sentences pass through.
    expect(plainError(new Error('the job manager is shut down'))).toBe(
      'The job manager is shut down.'
    )
    expect(z).toBeDefined()
  })
})
