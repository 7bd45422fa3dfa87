// Crossed and locked time, measured in exchange time between the messages that start and end each
// episode. Observed, never repaired here (DESIGN.md: "observers, not flags").
import type { CrossState } from '../book/orderBook'

export interface CrossEpisode {
  readonly kind: 'crossed' | 'locked'
  readonly fromMs: number
  readonly toMs: number
}

export interface CrossingState {
  readonly crossedMs: number
  readonly lockedMs: number
  readonly crossedEpisodes: number
  readonly lockedEpisodes: number
  readonly state: CrossState
  readonly since: number
}

export class CrossingTracker {
  crossedMs = 0
  lockedMs = 0
  crossedEpisodes = 0
  lockedEpisodes = 0
  private current: CrossState = 'normal'
  private since = 0

  /** Feeds the state after a message at `timeMs`; returns the episode that just ended, if any. */
  update(timeMs: number, state: CrossState): CrossEpisode | null {
    if (state === this.current) return null
    const ended = this.close(timeMs)
    if (state === 'crossed') this.crossedEpisodes++
    if (state === 'locked') this.lockedEpisodes++
    this.current = state
    this.since = timeMs
    return ended
  }

  /** Ends any open episode at `timeMs` (end of replay). */
  finish(timeMs: number): CrossEpisode | null {
    const ended = this.close(timeMs)
    this.current = 'normal'
    return ended
  }

  state(): CrossingState {
    const { crossedMs, lockedMs, crossedEpisodes, lockedEpisodes, since } = this
    const state = this.current
    return { crossedMs, lockedMs, crossedEpisodes, lockedEpisodes, state, since }
  }

  restore(s: CrossingState): void {
    this.crossedMs = s.crossedMs
    this.lockedMs = s.lockedMs
    this.crossedEpisodes = s.crossedEpisodes
    this.lockedEpisodes = s.lockedEpisodes
    this.current = s.state
    this.since = s.since
  }

  private close(timeMs: number): CrossEpisode | null {
    const d = Math.max(0, timeMs - this.since)
    if (this.current === 'crossed') {
      this.crossedMs += d
      return { kind: 'crossed', fromMs: this.since, toMs: timeMs }
    }
    if (this.current === 'locked') {
      this.lockedMs += d
      return { kind: 'locked', fromMs: this.since, toMs: timeMs }
    }
    return null
  }
}
