// The Book page's view as a URL hash (#job=…&t=…&from=…&to=…), read and written. Pure.
import type { TimeView } from './timeAxis'

export interface HashView {
  readonly job?: string
  readonly timeMs?: number
  readonly view?: TimeView
}

export function parseHash(hash: string): HashView {
  const q = new URLSearchParams(hash.replace(/^#/, ''))
  const num = (k: string): number | undefined => {
    const v = q.get(k)
    const n = v === null ? NaN : Number(v)
    return Number.isFinite(n) ? n : undefined
  }
  const job = q.get('job') ?? undefined
  const t = num('t')
  const from = num('from')
  const to = num('to')
  return {
    ...(job ? { job } : {}),
    ...(t !== undefined ? { timeMs: t } : {}),
    ...(from !== undefined && to !== undefined && to > from
      ? { view: { fromMs: from, toMs: to } }
      : {})
  }
}

export function formatHash(v: HashView): string {
  if (!v.job) return ''
  const q = new URLSearchParams({ job: v.job })
  if (v.timeMs !== undefined) q.set('t', String(Math.round(v.timeMs)))
  if (v.view) {
    q.set('from', String(Math.round(v.view.fromMs)))
    q.set('to', String(Math.round(v.view.toMs)))
  }
  return `#${q.toString()}`
}

/** Opens the hash's replay (if any), then keeps the hash up to date. Returns true when it opened one. */
