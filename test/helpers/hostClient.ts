// A browser-host client for tests: one invoke over the host's WebSocket, answered by its result frame.
import type WebSocket from 'ws'
import type { ServerFrame } from '../../src-shared/ipc/wire'

export function call(
  ws: WebSocket,
  id: number,
  channel: string,
  payload: unknown
): Promise<ServerFrame> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse((data as Buffer).toString('utf8')) as ServerFrame
      if (frame.t === 'result' && frame.id === id) {
        ws.off('message', onMessage)
        resolve(frame)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ t: 'invoke', id, channel, payload }))
  })
}
