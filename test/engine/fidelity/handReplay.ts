// An independent, deliberately plain reading of a REAL spot capture for the fidelity tests: gunzip
// the files whole, JSON.parse every line, keep the book in two Maps keyed by integer ticks, apply
// Binance's spot rule (diffs with u <= the snapshot's lastUpdateId are dropped), and read the book
// by sorting the Map keys. None of the engine's reader, parser, sync or book code is used, so the
// metric values the engine computes can be checked against numbers obtained another way.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

export interface HandTrade {
  readonly T: number
  readonly qty: number
  readonly lots: number
}

export interface HandState {
  /** µs, as the engine stamps it: the snapshot at its receive time, a diff at E. */
  readonly timeUs: number
  readonly bid: number
  readonly ask: number
  readonly bidLots: number
  readonly askLots: number
}

export interface HandTop {
  readonly bids: [number, number][]
  readonly asks: [number, number][]
}

interface Line {
  readonly localUs: number
  readonly msg: { stream?: string; data?: Record<string, unknown>; lastUpdateId?: number } & Record<
    string,
    unknown
  >
}

function lines(files: readonly string[]): Line[] {
  const out: Line[] = []
  for (const f of files) {
    const text = gunzipSync(readFileSync(f)).toString('utf8')
    for (const l of text.split('\n')) {
      if (l === '') continue
      const sp = l.indexOf(' ')
      const ts = l.slice(0, sp)
      // 19 digits: ns; 16: µs.
      const localUs = ts.length === 19 ? Number(ts.slice(0, 16)) : Number(ts)
      out.push({ localUs, msg: JSON.parse(l.slice(sp + 1)) as Line['msg'] })
    }
  }
  return out
}

const ticks = (p: string, tick: number): number => Math.round(Number.parseFloat(p) / tick)
const lots = (q: string): number => Math.round(Number.parseFloat(q) * 1e8)

/**
 * Replays a spot capture (files in time order) and calls `at(time)` hooks: the book state after
 * every applied message, and the top 20 levels whenever asked for a grid time.
 */
export function handReplay(
  files: readonly string[],
  tick: number
): {
  trades: HandTrade[]
  states: HandState[]
  /** The book (top 20 per side) as of each grid time: the last state at or before it. */
  topAt(gridUs: readonly number[]): HandTop[]
} {
  const all = lines(files)
  const trades: HandTrade[] = []
  const depth: { E: number; u: number; b: string[][]; a: string[][] }[] = []
  let snapshot: { localUs: number; L: number; bids: string[][]; asks: string[][] } | null = null
  for (const { localUs, msg } of all) {
    if (typeof msg.lastUpdateId === 'number') {
      snapshot = {
        localUs,
        L: msg.lastUpdateId,
        bids: msg['bids'] as string[][],
        asks: msg['asks'] as string[][]
      }
      continue
    }
    const d = msg.data ?? {}
    if (msg.stream?.endsWith('@trade') === true) {
      const q = d['q'] as string
      trades.push({ T: d['T'] as number, qty: Number.parseFloat(q), lots: lots(q) })
    } else if (msg.stream?.includes('@depth') === true) {
      depth.push({
        E: d['E'] as number,
        u: d['u'] as number,
        b: d['b'] as string[][],
        a: d['a'] as string[][]
      })
    }
  }
  if (!snapshot) throw new Error('no snapshot')
  const snap = snapshot
  // The book after each applied message, as a list of level changes to replay on demand.
  const msgs: { timeUs: number; clear: boolean; b: string[][]; a: string[][] }[] = [
    { timeUs: snap.localUs, clear: true, b: snap.bids, a: snap.asks }
  ]
  for (const d of depth)
    if (d.u > snap.L) msgs.push({ timeUs: d.E * 1000, clear: false, b: d.b, a: d.a })
  // The engine's clock never runs backwards.
  for (let i = 1; i < msgs.length; i++) {
    const m = msgs[i]
    const p = msgs[i - 1]
    if (m && p && m.timeUs < p.timeUs) m.timeUs = p.timeUs
  }

  const bids = new Map<number, number>()
  const asks = new Map<number, number>()
  const apply = (m: (typeof msgs)[number]): void => {
    if (m.clear) {
      bids.clear()
      asks.clear()
    }
    for (const [p, q] of m.b) {
      const l = lots(q ?? '0')
      if (l === 0) bids.delete(ticks(p ?? '0', tick))
      else bids.set(ticks(p ?? '0', tick), l)
    }
    for (const [p, q] of m.a) {
      const l = lots(q ?? '0')
      if (l === 0) asks.delete(ticks(p ?? '0', tick))
      else asks.set(ticks(p ?? '0', tick), l)
    }
  }
  const best = (side: Map<number, number>, isBid: boolean): number => {
    let b = isBid ? -Infinity : Infinity
    for (const k of side.keys()) if (isBid ? k > b : k < b) b = k
    return b
  }
  const states: HandState[] = []
  for (const m of msgs) {
    apply(m)
    const b = best(bids, true)
    const a = best(asks, false)
    states.push({
      timeUs: m.timeUs,
      bid: b,
      ask: a,
      bidLots: bids.get(b) ?? 0,
      askLots: asks.get(a) ?? 0
    })
  }
  return {
    trades,
    states,
    topAt(gridUs) {
      bids.clear()
      asks.clear()
      const out: HandTop[] = []
      let i = 0
      for (const g of gridUs) {
        while (i < msgs.length && (msgs[i]?.timeUs ?? Infinity) <= g)
          apply(msgs[i++] as (typeof msgs)[number])
        const bk = [...bids.keys()].sort((x, y) => y - x).slice(0, 20)
        const ak = [...asks.keys()].sort((x, y) => x - y).slice(0, 20)
        out.push({
          bids: bk.map((k) => [k, bids.get(k) ?? 0]),
          asks: ak.map((k) => [k, asks.get(k) ?? 0])
        })
      }
      return out
    }
  }
}
