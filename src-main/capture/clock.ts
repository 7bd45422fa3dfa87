// Receive timestamps in integer nanoseconds since the epoch, as the capture line format stores
// them. Date.now() alone has ms resolution and may step backwards (NTP); the monotonic hrtime
// anchored once to the wall clock gives ns resolution and never goes back, so lines in a file are
// always in receive order. Tests inject a scaled clock that replays a capture's own timeline.
export type NsClock = () => bigint

export function systemClock(): NsClock {
  const anchorWallNs = BigInt(Date.now()) * 1_000_000n
  const anchorHr = process.hrtime.bigint()
  return () => anchorWallNs + (process.hrtime.bigint() - anchorHr)
}

/**
 * A clock that runs `speed` times faster than the wall clock from `virtualStartNs` at the wall
 * time `realStartMs` (ms since the epoch): the local test server and the capture under test share
 * it, so recorded receive times follow the source capture's timeline (and cross its midnight).
 */
export function scaledClock(virtualStartNs: bigint, realStartMs: number, speed: number): NsClock {
  const real = systemClock()
  const realStartNs = BigInt(Math.round(realStartMs * 1e6))
  const factor = BigInt(Math.round(speed * 1000))
  let last = 0n
  return () => {
    const t = virtualStartNs + ((real() - realStartNs) * factor) / 1000n
    // Never backwards, even if the anchors were taken in another process.
    if (t > last) last = t
    return last
  }
}

/** The UTC day of a ns timestamp, YYYY-MM-DD. */
export function dayOfNs(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 10)
}

export function nsToMs(ns: bigint | string): number {
  return Number(BigInt(ns) / 1_000_000n)
}
