// The browser host's stand-in for the Electron preload: the same window.api, carried over a
// WebSocket to the host on 127.0.0.1. The per-launch token comes from the page URL.
import type { PushChannel, Transport, WireError } from '../src-shared/ipc/contract'
import type { ClientFrame, ServerFrame } from '../src-shared/ipc/wire'
import { createApi } from './api'

function connect(): Transport {
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ipc?token=${encodeURIComponent(token)}`
  const socket = new WebSocket(url)
  const queue: string[] = []
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  const listeners = new Map<PushChannel, Set<(payload: unknown) => void>>()
  let nextId = 1

  const post = (frame: ClientFrame): void => {
    const text = JSON.stringify(frame)
    if (socket.readyState === WebSocket.OPEN) socket.send(text)
    else queue.push(text)
  }
  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text)
  })
  socket.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new Error('connection to the lakebook host closed'))
    pending.clear()
  })
  socket.addEventListener('message', (event: MessageEvent<string>) => {
    const frame = JSON.parse(event.data) as ServerFrame
    if (frame.t === 'push') {
      for (const l of listeners.get(frame.channel) ?? []) l(frame.payload)
      return
    }
    const p = pending.get(frame.id)
    if (!p) return
    pending.delete(frame.id)
    if (frame.ok) p.resolve(frame.value)
    else p.reject(toError(frame.error))
  })

  return {
    invoke: (channel, payload) =>
      new Promise((resolve, reject) => {
        const id = nextId++
        pending.set(id, { resolve, reject })
        post({ t: 'invoke', id, channel, payload })
      }),
    send: (channel, payload) => {
      post({ t: 'command', channel, payload })
    },
    on: (channel, listener) => {
      let set = listeners.get(channel)
      if (!set) listeners.set(channel, (set = new Set()))
      set.add(listener)
      return () => set.delete(listener)
    },
    evidenceUrl: (path) =>
      `/evidence?path=${encodeURIComponent(path)}&token=${encodeURIComponent(token)}`
  }
}

function toError(e: WireError): Error {
  const err = new Error(e.message)
  err.name = e.name
  return err
}

Object.defineProperty(window, 'api', { value: createApi(connect()), writable: false })
