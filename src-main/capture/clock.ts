// Receive timestamps in integer nanoseconds since the epoch, as the capture line format stores
// them. Date.now() alone has ms resolution and may step backwards (NTP); the monotonic hrtime
// anchored once to the wall clock gives ns resolution and never goes back, so lines in a file are
// always in receive order. Tests inject a scaled clock that replays a capture's own timeline.
//
// The capture reads time only through a CaptureClock: receive stamps from its `ns`, timers
// (liveness, reconnects, snapshot spacing, flushes, the live view) and session.json's run times
// from its `ms`. The wall clock is read here and nowhere else in capture/.
export type NsClock = () => bigint

export interface CaptureClock {
  /** Receive stamps, ns since the epoch: the line format's clock. */
  readonly ns: NsClock
  /** Timer time, ms since the epoch: deadlines, intervals, liveness, run start and end times. */
  readonly ms: () => number
}

/** The wall clock in ms since the epoch. */
export function wallMs(): number {
  return Date.now()
}

/** The real clock: monotonic ns stamps anchored to the wall clock, wall ms for the timers. */
export function realClock(): CaptureClock {
  return { ns: systemClock(), ms: wallMs }
}

/**
 * The clock a capture runs on. A bare NsClock (what tests inject: the accelerated clock of the
 * local server) stamps the lines only; the timers keep wall time, as the timing options are
 * real milliseconds (a stale stream is one silent for `staleMs` of real time).
 */
export function captureClock(clock?: NsClock | CaptureClock): CaptureClock {
  if (clock === undefined) return realClock()
  if (typeof clock === 'function') return { ns: clock, ms: wallMs }
  return clock
}

export function systemClock(): NsClock {
  const anchorWallNs = BigInt(wallMs()) * 1_000_000n
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
