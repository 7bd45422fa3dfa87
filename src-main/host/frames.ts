// The browser host's incoming WebSocket frames, checked before anything reads them: any JSON
// value may arrive (null, a number, an object without `t`), and none may throw in the handler.
import { z } from 'zod'
import type { ClientFrame } from '../../src-shared/ipc/wire'

const clientFrame = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('invoke'),
    id: z.number().int(),
    channel: z.string(),
    payload: z.unknown()
  }),
  z.object({ t: z.literal('command'), channel: z.string(), payload: z.unknown() })
])

export type FrameCheck =
  | { readonly ok: true; readonly frame: ClientFrame }
  /** `id` when the frame carried a usable request id, so the error can be answered. */
  | { readonly ok: false; readonly reason: string; readonly id?: number }

export function parseClientFrame(text: string): FrameCheck {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'not JSON' }
  }
  const parsed = clientFrame.safeParse(value)
  if (parsed.success) return { ok: true, frame: parsed.data as ClientFrame }
  const id = (value as { id?: unknown } | null)?.id
  return Number.isInteger(id)
    ? { ok: false, reason: 'not an invoke or command frame', id: id as number }
    : { ok: false, reason: 'not an invoke or command frame' }
}
