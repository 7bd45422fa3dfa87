// window.api: the only surface the UI sees. Built on a Transport so the Electron preload and the
// browser host's bridge expose exactly the same object; the UI's type is derived from this file.
import {
  commandChannels,
  invokeChannels,
  pushChannels,
  type CommandChannel,
  type CommandMap,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type PushChannel,
  type PushMap,
  type Transport
} from '../src-shared/ipc/contract'

function assertKnown(list: readonly string[], channel: string): void {
  if (!list.includes(channel)) throw new Error(`unknown IPC channel: ${channel}`)
}

export function createApi(transport: Transport) {
  return {
    invoke<K extends InvokeChannel>(
      channel: K,
      request: InvokeRequest<K>
    ): Promise<InvokeResponse<K>> {
      assertKnown(invokeChannels, channel)
      return transport.invoke(channel, request) as Promise<InvokeResponse<K>>
    },
    send<K extends CommandChannel>(channel: K, payload: CommandMap[K]): void {
      assertKnown(commandChannels, channel)
      transport.send(channel, payload)
    },
    /** Subscribes to a push channel; returns the unsubscribe function. */
    on<K extends PushChannel>(channel: K, listener: (payload: PushMap[K]) => void): () => void {
      assertKnown(pushChannels, channel)
      return transport.on(channel, listener as (payload: unknown) => void)
    },
    /** The URL of an HTML evidence report under the lake, for the in-app viewer. */
    evidenceUrl(path: string): string {
      return transport.evidenceUrl(path)
    }
  }
}

export type Api = ReturnType<typeof createApi>
