// One browser client's outgoing frames, bounded. ws.send alone queues without limit: a stalled
// tab or tunnel would hold every push of a live capture in memory. Below the soft limit of bytes
// already queued on the socket a frame is sent at once; above it frames wait here, live frames
// (progress, live counters) replaced by the latest of their kind, and a client whose queue passes
// the hard limit is disconnected (it reconnects and reloads its state).

export interface QueueLimits {
  /** Bytes queued on the socket above which frames wait (and live frames drop to the latest). */
  readonly softBytes: number
  /** Bytes (socket + waiting) above which the client is disconnected. */
  readonly hardBytes: number
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = { softBytes: 4 << 20, hardBytes: 64 << 20 }

/** What the queue writes to: a `ws` WebSocket in the host. */
export interface Outlet {
  readonly bufferedAmount: number
  send(data: string, cb: (err?: Error) => void): void
  terminate(): void
}

interface Waiting {
  data: string
  readonly key: string | null
}

export class SendQueue {
  private readonly waiting: Waiting[] = []
  private readonly byKey = new Map<string, Waiting>()
  private waitingBytes = 0
  private closed = false
  /** Live frames replaced by a later one of the same kind before they were sent. */
  dropped = 0

  constructor(
    private readonly out: Outlet,
    private readonly limits: QueueLimits,
    /** Called once when the client is disconnected for being too far behind. */
    private readonly onOverflow: (queuedBytes: number) => void
  ) {}

  /** `key` names a live frame's kind (e.g. progress of one job): only its latest is kept. */
  send(data: string, key: string | null = null): void {
    if (this.closed) return
    if (this.waiting.length === 0 && this.out.bufferedAmount < this.limits.softBytes) {
      this.write(data)
      return
    }
    const same = key === null ? undefined : this.byKey.get(key)
    if (same) {
      this.waitingBytes += data.length - same.data.length
      same.data = data
      this.dropped++
    } else {
      const w = { data, key }
      this.waiting.push(w)
      if (key !== null) this.byKey.set(key, w)
      this.waitingBytes += data.length
    }
    const queued = this.out.bufferedAmount + this.waitingBytes
    if (queued > this.limits.hardBytes) {
      this.close()
      this.out.terminate()
      this.onOverflow(queued)
    }
  }

  /** Frees what waits (the client is gone). */
  close(): void {
    this.closed = true
    this.waiting.length = 0
    this.byKey.clear()
    this.waitingBytes = 0
  }

  private write(data: string): void {
    this.out.send(data, () => {
      this.flush()
    })
  }

  // Called as the socket writes frames out: sends what waits while the socket has room.
  private flush(): void {
    while (!this.closed && this.waiting.length > 0) {
      if (this.out.bufferedAmount >= this.limits.softBytes) return
      const w = this.waiting.shift()
      if (!w) return
      if (w.key !== null) this.byKey.delete(w.key)
      this.waitingBytes -= w.data.length
      this.write(w.data)
    }
  }
}
