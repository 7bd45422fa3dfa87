// The frames around the Book page's cursor, fetched in blocks (replay.frames) ahead of the cursor:
// a step or a scrub to a neighbouring frame is shown at once, in the same input event, instead of
// waiting for a round trip to the engine per frame. One replay's blocks at a time, a few blocks.
import type { BookFrame } from '../../../src-shared/replay'
import { api } from '../api'

const BLOCK = 128
const KEEP = 8

let jobId: string | null = null
const blocks = new Map<number, readonly BookFrame[]>()
const pending = new Set<number>()

/** Forgets every frame (another replay opened, or the open one grew: its counts changed). */
export function clearFrames(): void {
  jobId = null
  blocks.clear()
  pending.clear()
}

export function cachedFrame(job: string, index: number): BookFrame | undefined {
  if (job !== jobId) return undefined
  return blocks.get(Math.floor(index / BLOCK))?.[index % BLOCK]
}

/** Fetches, in the background, the block of `index` and the neighbouring one it is nearer to. */
export function prefetchAround(job: string, index: number, count: number): void {
  if (job !== jobId) clearFrames()
  jobId = job
  const b = Math.floor(index / BLOCK)
  const next = index % BLOCK < BLOCK / 2 ? b - 1 : b + 1
  for (const k of [b, next]) {
    if (k < 0 || k * BLOCK >= count || blocks.has(k) || pending.has(k)) continue
    pending.add(k)
    api.invoke('replay.frames', { jobId: job, from: k * BLOCK, count: BLOCK }).then(
      (frames) => {
        if (job !== jobId || !pending.delete(k)) return
        blocks.set(k, frames)
        // The oldest blocks go first (a Map iterates in insertion order).
        for (const old of blocks.keys()) {
          if (blocks.size <= KEEP) break
          blocks.delete(old)
        }
      },
      () => {
        // A failed prefetch only costs speed: the frame is asked for on its own when shown.
        pending.delete(k)
      }
    )
  }
}
