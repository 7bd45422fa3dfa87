// Main's side of the IPC contract, independent of the transport: validates every request from the
// UI with the contract's schemas, dispatches to handlers, and fans pushes out to connected UIs.
// The Electron adapter (src-main/app/ipc.ts) and the browser host's WebSocket both sit on this.
import { issuesText } from '../util/errors'
import { commandSchemas, invokeSchemas } from '../../src-shared/ipc/schemas'
import {
  type CommandChannel,
  type CommandMap,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type PushChannel,
  type PushMap,
  type WireError
} from '../../src-shared/ipc/contract'

export type InvokeHandlers = {
  [K in InvokeChannel]: (req: InvokeRequest<K>) => Promise<InvokeResponse<K>> | InvokeResponse<K>
}
export type CommandHandlers = { [K in CommandChannel]: (payload: CommandMap[K]) => void }
export type PushSink = <K extends PushChannel>(channel: K, payload: PushMap[K]) => void

export class IpcRequestError extends Error {
  override readonly name = 'IpcRequestError'
}

function isChannel<K extends string>(schemas: Record<K, unknown>, channel: string): channel is K {
  return Object.hasOwn(schemas, channel)
}

export class Router {
  private readonly sinks = new Set<PushSink>()

  constructor(
    private readonly invokeHandlers: InvokeHandlers,
    private readonly commandHandlers: CommandHandlers
  ) {}

  async invoke(channel: string, payload: unknown): Promise<unknown> {
    if (!isChannel(invokeSchemas, channel)) throw new IpcRequestError(`unknown channel ${channel}`)
    const parsed = invokeSchemas[channel].safeParse(payload)
    if (!parsed.success) {
      throw new IpcRequestError(`invalid request for ${channel}: ${issuesText(parsed.error)}`)
    }
    const handler = this.invokeHandlers[channel] as (req: unknown) => unknown
    return await handler(parsed.data)
  }

  command(channel: string, payload: unknown): void {
    if (!isChannel(commandSchemas, channel)) throw new IpcRequestError(`unknown channel ${channel}`)
    const parsed = commandSchemas[channel].safeParse(payload)
    if (!parsed.success) {
      throw new IpcRequestError(`invalid command ${channel}: ${issuesText(parsed.error)}`)
    }
    const handler = this.commandHandlers[channel] as (p: unknown) => void
    handler(parsed.data)
  }

  addSink(sink: PushSink): () => void {
    this.sinks.add(sink)
    return () => this.sinks.delete(sink)
  }

  push<K extends PushChannel>(channel: K, payload: PushMap[K]): void {
    for (const s of this.sinks) s(channel, payload)
  }
}

export function toWireError(e: unknown): WireError {
  return e instanceof Error
    ? { name: e.name, message: e.message }
    : { name: 'Error', message: String(e) }
}
