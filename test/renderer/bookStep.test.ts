// Stepping through a replay's frames while they are fetched: arrow keys pressed before the asked
// frame arrives must add up (3 presses = 3 frames), not ask the same frame again. The engine is a
// SYNTHETIC stand-in built here (api mocked): frames answered only when the test lets them.
import { describe, expect, it, vi } from 'vitest'

const asked: number[] = []
const answers: (() => void)[] = []
vi.mock('../../src-renderer/src/api', () => ({
  api: {
    invoke: (channel: string, req: { index?: number }) => {
      if (channel === 'replay.frames') return new Promise(() => undefined)
      const index = req.index ?? 0
      asked.push(index)
      return new Promise((resolve) => {
        answers.push(() => {
          resolve({ index, count: 1000, timeMs: index, updateId: index })
        })
      })
    }
  }
}))

const { stepFrame, useBook } = await import('../../src-renderer/src/stores/book')

describe('stepping frames while one is in flight (synthetic engine)', () => {
  it('goes on from the frame asked for, not the one still shown', async () => {
    useBook.setState({
      jobId: 'job',
      series: { frames: 1000 } as never,
      frame: { index: 5, count: 1000, timeMs: 5, updateId: 5 } as never
    })
    stepFrame(1)
    stepFrame(1)
    stepFrame(1)
    // One fetch in flight (6); the later presses wait as one ask, from 6 on: 8.
    expect(asked).toEqual([6])
    answers.shift()?.()
    await vi.waitFor(() => {
      expect(asked).toEqual([6, 8])
    })
    answers.shift()?.()
    await vi.waitFor(() => {
      expect(useBook.getState().frame?.index).toBe(8)
    })
    // And stays within the replay.
    stepFrame(5000)
    expect(asked.at(-1)).toBe(999)
  })
})
