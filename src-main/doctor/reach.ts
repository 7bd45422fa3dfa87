// Is a service reachable from here? Any HTTP answer counts (an S3 endpoint answers 403 to an
// unsigned request); no answer within the bound, a refused connection or an unknown host do not.
// Bounded so that `lakebook doctor` never hangs on a machine without internet.

export interface Reach {
  readonly ok: boolean
  /** One sentence: "HTTP 200" or why it is unreachable. */
  readonly detail: string
}

export const REACH_TIMEOUT_MS = 3000

export async function reach(url: string, timeoutMs = REACH_TIMEOUT_MS): Promise<Reach> {
  const started = Date.now()
  try {
    const res = await fetch(url, {
      method: 'GET',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs)
    })
    // Only the status matters; drop the body without reading it.
    await res.body?.cancel()
    return { ok: true, detail: `answered HTTP ${res.status} in ${Date.now() - started} ms` }
  } catch (e) {
    return { ok: false, detail: `unreachable: ${whyUnreachable(e, timeoutMs)}` }
  }
}

function whyUnreachable(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return `no answer within ${(timeoutMs / 1000).toFixed(1)} s`
  }
  const cause = err.cause
  if (cause?.code !== undefined) {
    // undici puts the socket's error here, e.g. "getaddrinfo ENOTFOUND api.binance.com".
    return cause.message?.includes(cause.code) === true ? cause.message : cause.code
  }
  return cause?.message ?? err.message ?? String(e)
}
