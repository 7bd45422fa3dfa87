// book_delta_v2 sequence rules, message by message. A message is a run of rows sharing receive
// time and sequence number (the vendor writes one exchange message that way; research notes
// §2.1). Within one capture session Binance's final update id `u` strictly increases from message
// to message (cryptofeed drops anything not newer), so a repeat or decrease is a defect — unless
// the message is a snapshot burst, the REST snapshot written at a (re)connect, which resets the
// sequence. Bursts are recognised exactly as the Lake replay does (src-main/engine/lakeReplay.ts):
// spot with origin time 0, or ≥ burstMinRows rows on both sides with no zero size. Origin time 0
// is legitimate only on such a burst (spot REST depth has no event time).
import type { RuleResult } from '../../src-shared/validate'
import type { LakeBatch } from '../lake/parquet/reader'
import { partial, type CheckContext, type RowCheck } from './rowCheck'
import { FloatSet } from './floatSet'
import { RestartFindings } from './restarts'
import { RuleTally, plural, result } from './rules'
import { Reservoir, round6 } from './sample'

/** The message being read, as plain fields (an object per message cost a GC share). */
class Message {
  open = false
  recv = NaN
  seq = NaN
  origin = NaN
  firstRow = 0
  rows = 0
  bids = 0
  asks = 0
  zeroSize = false
  zeroOriginRows = 0
  askSeen = false
  bidAfterAsk = false

  start(recv: number, seq: number, origin: number, firstRow: number): void {
    this.open = true
    this.recv = recv
    this.seq = seq
    this.origin = origin
    this.firstRow = firstRow
    this.rows = 0
    this.bids = 0
    this.asks = 0
    this.zeroSize = false
    this.zeroOriginRows = 0
    this.askSeen = false
    this.bidAfterAsk = false
  }
}

const TOP_JUMPS = 32

export class DeltaCheck implements RowCheck<'book_delta_v2'> {
  readonly jumps = new Reservoir()
  messages = 0
  burstCount = 0
  private resets = 0
  private readonly order: RuleTally
  private readonly repeated: RuleTally
  private readonly askFirst: RuleTally
  private readonly bursts: RuleTally
  private readonly zeroOrigin: RuleTally
  private readonly bigJumps: { jump: number; row: number; seq: number }[] = []
  private readonly msg = new Message()
  private prevSeq = NaN
  private prevMsgRecv = NaN
  readonly restarts = new RestartFindings()
  private readonly bidPrices = new FloatSet()
  private readonly askPrices = new FloatSet()

  constructor(private readonly ctx: CheckContext) {
    const tally = (): RuleTally => new RuleTally(ctx.file.rel, ctx.t.examples)
    this.order = tally()
    this.repeated = tally()
    this.askFirst = tally()
    this.bursts = tally()
    this.zeroOrigin = tally()
  }

  batch(b: LakeBatch<'book_delta_v2'>): void {
    const { received_time: recv, sequence_number: seqs, origin_time: origin } = b.columns
    const { side_is_bid: isBid, price, size } = b.columns
    const m = this.msg
    const bidPrices = this.bidPrices
    const askPrices = this.askPrices
    const n = b.rows
    for (let i = 0; i < n; i++) {
      const r = recv[i] ?? NaN
      const s = seqs[i] ?? NaN
      const o = origin[i] ?? NaN
      if (!m.open || m.recv !== r || m.seq !== s) {
        if (m.open) this.close(m)
        m.start(r, s, o, b.rowStart + i)
        bidPrices.clear()
        askPrices.clear()
      }
      m.rows++
      const bid = isBid[i] === 1
      const p = price[i] ?? NaN
      if (bid) {
        m.bids++
        if (m.askSeen) m.bidAfterAsk = true
      } else {
        m.asks++
        m.askSeen = true
      }
      if (size[i] === 0) m.zeroSize = true
      if (o === 0) m.zeroOriginRows++
      if (!(bid ? bidPrices : askPrices).add(p))
        this.repeated.add(
          b.rowStart + i,
          `${bid ? 'bid' : 'ask'} ${p} appears twice in the message starting at row ${m.firstRow}`
        )
    }
  }

  private close(m: Message): void {
    const { t, market } = this.ctx
    this.messages++
    const burst =
      (market === 'spot' && m.origin === 0) ||
      (m.rows >= t.burstMinRows && !m.zeroSize && m.bids > 0 && m.asks > 0)
    // A burst opening the file is where the recording began (the day-span rule measures what
    // is missing before it); one after other rows is the writer reconnecting mid-day.
    if (burst && this.prevMsgRecv === this.prevMsgRecv) {
      this.restarts.add({
        row: m.firstRow,
        atUs: m.recv,
        gapUs: m.recv - this.prevMsgRecv,
        evidence: `snapshot burst of ${m.rows} rows`
      })
    }
    if (burst) {
      this.burstCount++
      this.bursts.add(
        m.firstRow,
        `snapshot burst: ${m.rows} rows (${m.bids} bids, ${m.asks} asks), sequence ${m.seq}` +
          (m.origin === 0 ? ', origin time 0' : '')
      )
    }
    if (m.zeroOriginRows > 0 && !(burst && m.zeroOriginRows === m.rows))
      this.zeroOrigin.add(
        m.firstRow,
        `${plural(m.zeroOriginRows, 'row')} with origin time 0 in a message that is not a snapshot burst`,
        m.zeroOriginRows
      )
    if (m.bidAfterAsk)
      this.askFirst.add(m.firstRow, `message at row ${m.firstRow} has bids after asks`)
    const prev = this.prevSeq
    if (m.seq <= prev) {
      if (burst) this.resets++
      else
        this.order.add(
          m.firstRow,
          m.seq === prev
            ? `sequence ${m.seq} repeats the previous message's`
            : `sequence ${m.seq} after ${prev}: goes back ${prev - m.seq}`
        )
    } else if (prev === prev) {
      const jump = m.seq - prev
      this.jumps.add(jump)
      this.keepJump(jump, m.firstRow, m.seq)
    }
    this.prevSeq = m.seq
    this.prevMsgRecv = m.recv
  }

  private keepJump(jump: number, row: number, seq: number): void {
    const top = this.bigJumps
    if (top.length < TOP_JUMPS) top.push({ jump, row, seq })
    else {
      let k = 0
      for (let i = 1; i < top.length; i++) if ((top[i]?.jump ?? 0) < (top[k]?.jump ?? 0)) k = i
      if (jump > (top[k]?.jump ?? Infinity)) top[k] = { jump, row, seq }
    }
  }

  finish(complete: boolean): RuleResult[] {
    if (this.msg.open) {
      this.close(this.msg)
      this.msg.open = false
    }
    const { t, file } = this.ctx
    const table = file.table
    const tail = partial(complete)
    const out: RuleResult[] = []
    out.push(
      result(
        'time.origin-zero',
        t,
        table,
        this.zeroOrigin.count > 0 ? 'fail' : 'pass',
        `${plural(this.zeroOrigin.count, 'row')} with origin time 0 outside snapshot bursts${tail}`,
        this.zeroOrigin
      )
    )
    out.push(
      result(
        'sequence.delta-order',
        t,
        table,
        this.order.count > 0 ? 'fail' : 'pass',
        `${plural(this.messages, 'message')}, ${plural(this.order.count, 'out-of-order message')}, ` +
          `${plural(this.resets, 'reset')} at bursts${tail}`,
        this.order
      )
    )
    const shape = this.repeated.count > 0 ? this.repeated : this.askFirst
    out.push(
      result(
        'sequence.delta-message',
        t,
        table,
        this.repeated.count > 0 ? 'fail' : this.askFirst.count > 0 ? 'warn' : 'pass',
        `${plural(this.repeated.count, 'repeated level')}, ${plural(this.askFirst.count, 'message')} with bids after asks${tail}`,
        shape
      )
    )
    out.push(this.jumpResult(tail))
    out.push(
      result(
        'sequence.bursts',
        t,
        table,
        this.burstCount > 0 ? 'warn' : 'pass',
        `${plural(this.burstCount, 'snapshot burst')}${tail}`,
        this.bursts
      )
    )
    return out
  }

  private jumpResult(tail: string): RuleResult {
    const { t, file } = this.ctx
    const q = this.jumps.summary()
    if (q === null)
      return result('sequence.delta-jumps', t, file.table, 'skip', 'fewer than two messages')
    const limit = q.p50 * t.seqJumpWarnFactor
    // Exact while every jump is in the sample, else estimated from it.
    const sample = this.jumps.values()
    let above = 0
    for (const v of sample) if (v > limit) above++
    const count = q.sampled ? Math.round((above / sample.length) * q.n) : above
    const tally = new RuleTally(file.rel, t.examples)
    const big = this.bigJumps.filter((j) => j.jump > limit).sort((a, b) => a.row - b.row)
    for (const j of big.slice(0, t.examples))
      tally.add(
        j.row,
        `sequence jumps by ${j.jump} to ${j.seq} (${round6(j.jump / q.p50)}× the median)`
      )
    tally.count = count
    return result(
      'sequence.delta-jumps',
      t,
      file.table,
      count > 0 ? 'warn' : 'pass',
      `median ${round6(q.p50)}, p99 ${round6(q.p99)}, max ${round6(q.max)}; ` +
        `${plural(count, 'jump')} above ${round6(limit)}${q.sampled ? ' (estimated from a sample)' : ''}${tail}`,
      tally
    )
  }
}
