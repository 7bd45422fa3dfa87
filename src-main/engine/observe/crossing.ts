// Crossed and locked time, measured in exchange time between the messages that start and end each
// episode. Observed, never repaired here (DESIGN.md: "observers, not flags").
import type { CrossState } from '../book/orderBook'

export interface CrossEpisode {
  readonly kind: 'crossed' | 'locked'
  readonly fromMs: number
  readonly toMs: number
}

export class CrossingTracker {
  crossedMs = 0
  lockedMs = 0
  crossedEpisodes = 0
  lockedEpisodes = 0
  private state: CrossState = 'normal'
  private since = 0

  /** Feeds the state after a message at `timeMs`; returns the episode that just ended, if any. */
  update(timeMs: number, state: CrossState): CrossEpisode | null {
    if (state === this.state) return null
    const ended = this.close(timeMs)
    if (state === 'crossed') this.crossedEpisodes++
    if (state === 'locked') this.lockedEpisodes++
    this.state = state
    this.since = timeMs
    return ended
  }

  /** Ends any open episode at `timeMs` (end of replay). */
  finish(timeMs: number): CrossEpisode | null {
    const ended = this.close(timeMs)
    this.state = 'normal'
    return ended
  }

  private close(timeMs: number): CrossEpisode | null {
    const d = Math.max(0, timeMs - this.since)
    if (this.state === 'crossed') {
      this.crossedMs += d
      return { kind: 'crossed', fromMs: this.since, toMs: timeMs }
    }
    if (this.state === 'locked') {
      this.lockedMs += d
      return { kind: 'locked', fromMs: this.since, toMs: timeMs }
    }
    return null
  }
}
