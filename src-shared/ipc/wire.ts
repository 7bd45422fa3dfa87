// Messages of the browser host's WebSocket: the IPC contract framed as JSON.
import type { CommandChannel, InvokeChannel, PushChannel, WireError } from './contract'

export type ClientFrame =
  | {
      readonly t: 'invoke'
      readonly id: number
      readonly channel: InvokeChannel
      readonly payload: unknown
    }
  | { readonly t: 'command'; readonly channel: CommandChannel; readonly payload: unknown }

export type ServerFrame =
  | { readonly t: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'result'; readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly t: 'push'; readonly channel: PushChannel; readonly payload: unknown }
