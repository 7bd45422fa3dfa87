// A deliberately broken reconstruction, made from REAL data: every tenth delta message (rows
// sharing receive time and sequence number) dropped — silently, as a lossy feed would. One rule,
// applied either to the replay's delta batches in memory (dropEveryTenth) or to a lake's
// book_delta_v2 files on disk (dropEveryTenthInLake: the rewritten lake exports like any other).
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { readFooterSync } from '../../src-main/lake/parquet/footer'
import type { DeltaBatch } from '../../src-main/engine/source/batches'
import { readRaw, rowCount, selectRows, writeLake } from './parquetVariants'

/** The message counter carried across batches and files. */
export interface DropState {
  msg: number
  seq: number
  recv: number
}

export const dropState = (): DropState => ({ msg: 0, seq: NaN, recv: NaN })

/** Indices of the rows kept: all but those of every tenth message. */
export function keptRows(
  recv: ArrayLike<number>,
  seq: ArrayLike<number>,
  n: number,
  st: DropState
): number[] {
  const keep: number[] = []
  for (let i = 0; i < n; i++) {
    if (seq[i] !== st.seq || recv[i] !== st.recv) {
      st.msg++
      st.seq = seq[i] ?? NaN
      st.recv = recv[i] ?? NaN
    }
    if (st.msg % 10 !== 0) keep.push(i)
  }
  return keep
}

/** The replay's delta batches with every tenth message dropped. */
export async function* dropEveryTenth(it: AsyncIterable<DeltaBatch>): AsyncGenerator<DeltaBatch> {
  const st = dropState()
  for await (const b of it) {
    const keep = keptRows(b.recvUs, b.seq, b.length, st)
    const f = (a: Float64Array): Float64Array => Float64Array.from(keep, (k) => a[k] ?? NaN)
    yield {
      ...b,
      length: keep.length,
      recvUs: f(b.recvUs),
      exchUs: f(b.exchUs),
      seq: f(b.seq),
      isBid: Uint8Array.from(keep, (k) => b.isBid[k] ?? 0),
      ticks: f(b.ticks),
      lots: f(b.lots)
    }
  }
}

/**
 * Rewrites every book_delta_v2 file of a lake (vendor layout) without every tenth message, in
 * day order with one counter, keeping each file's metadata. Returns rows before and after.
 */
export async function dropEveryTenthInLake(
  root: string,
  exchange: string,
  symbol: string
): Promise<{ before: number; after: number }> {
  const base = join(root, 'book_delta_v2', `exchange=${exchange}`, `symbol=${symbol}`)
  const st = dropState()
  let before = 0
  let after = 0
  for (const day of readdirSync(base).sort()) {
    const dir = join(base, day)
    for (const f of readdirSync(dir).sort()) {
      const path = join(dir, f)
      const kv = readFooterSync(path).kv
      const cols = await readRaw(path, 'book_delta_v2')
      const n = rowCount(cols)
      const keep = keptRows(
        cols['receipt_timestamp'] as Float64Array,
        cols['sequence_number'] as Float64Array,
        n,
        st
      )
      before += n
      after += keep.length
      await writeLake(
        path,
        'book_delta_v2',
        {
          date: kv['date'] ?? day.slice(3),
          containsGaps: kv['contains_gaps'] === 'Yes',
          symbol: kv['symbol'] ?? symbol,
          exchange: kv['exchange'] ?? exchange
        },
        selectRows(cols, keep)
      )
    }
  }
  return { before, after }
}
