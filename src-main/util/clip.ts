// Bounds text that comes from input data before it is kept or sent: an issue message or a job
// result may quote an offending value (a 100 MB capture line), and it must not reach the
// manifest, every push and every `jobs.list` whole. A clipped value keeps a short excerpt and
// states its full length, so nothing is cut silently; the full value stays in its input file.

/** Strings longer than this are clipped. */
export const MAX_KEPT_CHARS = 4096
/** What a clipped string keeps. */
export const EXCERPT_CHARS = 200

/** `text` itself when short, else an excerpt followed by `…(N bytes)`. */
export function clipText(text: string, max = MAX_KEPT_CHARS, excerpt = EXCERPT_CHARS): string {
  if (text.length <= max) return text
  return `${text.slice(0, excerpt)}…(${Buffer.byteLength(text)} bytes)`
}

/** A JSON-like value with every long string clipped (objects and arrays copied only when needed). */
export function clipStrings<T>(value: T, max = MAX_KEPT_CHARS): T {
  return clipAny(value, max) as T
}

function clipAny(v: unknown, max: number): unknown {
  if (typeof v === 'string') return clipText(v, max)
  if (Array.isArray(v)) {
    let out: unknown[] | null = null
    for (let i = 0; i < v.length; i++) {
      const c = clipAny(v[i], max)
      if (c !== v[i]) (out ??= v.slice())[i] = c
    }
    return out ?? v
  }
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    let out: Record<string, unknown> | null = null
    for (const [k, x] of Object.entries(v)) {
      const c = clipAny(x, max)
      if (c !== x) (out ??= { ...v })[k] = c
    }
    return out ?? v
  }
  return v
}
