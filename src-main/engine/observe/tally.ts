// What a Lake replay read and applied: rows and messages per stream, the receive-time range, the
// exchange time of the book's last change, and how many applied messages reached unknown depth.
export interface TallyState {
  readonly deltaRows: number
  readonly deltaMessages: number
  readonly trades: number
  readonly bookRows: number
  readonly applied: number
  readonly unknownDepthMessages: number
  readonly firstRecv: number
  readonly lastRecv: number
  readonly exchUs: number
}

export class ReplayTally {
  deltaRows = 0
  deltaMessages = 0
  trades = 0
  bookRows = 0
  applied = 0
  unknownDepthMessages = 0
  firstRecv = Infinity
  lastRecv = -Infinity
  /** Exchange time (µs) of the message or seed the book last took; 0 before any had one. */
  exchUs = 0

  /** A delta message at `recvUs`: returns the receive-time hole before it (NaN for the first). */
  deltaAt(recvUs: number): number {
    if (recvUs < this.firstRecv) this.firstRecv = recvUs
    const hole = Number.isFinite(this.lastRecv) ? recvUs - this.lastRecv : NaN
    if (recvUs > this.lastRecv) this.lastRecv = recvUs
    return hole
  }

  state(): TallyState {
    const { deltaRows, deltaMessages, trades, bookRows, applied, unknownDepthMessages } = this
    const { firstRecv, lastRecv, exchUs } = this
    return {
      deltaRows,
      deltaMessages,
      trades,
      bookRows,
      applied,
      unknownDepthMessages,
      firstRecv,
      lastRecv,
      exchUs
    }
  }

  restore(s: TallyState): void {
    Object.assign(this, s)
  }
}
