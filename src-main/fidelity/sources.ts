// Source specs → series: resolves files and folders, converts `converted:` captures to Crypto Lake
// format in a temporary folder, and calls the adapter of each kind. The syntax itself is defined in
// src-shared/fidelity.ts (parseSourceSpec), shared with the CLI and the app.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SourceSpec } from '../../src-shared/fidelity'
import { convertCaptureToLake } from '../convert/captureToLake'
import { InputError } from '../util/errors'
import type { DecodeWorkerSpec } from '../engine/source/parallelSources'
import { bookTickerSeries, captureSeries, type SeriesOptions } from './captureSeries'
import { datasetSeries } from './datasetSeries'
import { lakeBookSeries, lakeSeries, type LakeMeta } from './lakeSeries'
import type { MarketSeries } from './series'
import { readTickerStream, type TickerStream } from './tickerStream'

export interface LoadOptions extends SeriesOptions {
  /** Pair capture replays with Binance's bookTicker (when a bookticker: source takes part). */
  readonly withTicker?: boolean | undefined
  /** bookTicker streams already read, by file list: one read for several sources on the same files. */
  readonly tickerCache?: Map<string, Promise<TickerStream>> | undefined
  readonly workers?: number | undefined
  readonly decodeWorker?: DecodeWorkerSpec | undefined
  /** dataset: sources: the instrument when known (else read from the dataset's certificate). */
  readonly datasetMeta?: LakeMeta | undefined
}

/** Files named by a capture spec: files as given, folders as every .gz in them (sorted). */
export function captureFilesOf(spec: SourceSpec): string[] {
  const out: string[] = []
  for (const p of spec.paths) {
    let st
    try {
      st = statSync(p)
    } catch {
      throw new InputError('capture file or folder not found', p)
    }
    if (st.isDirectory()) {
      const files = readdirSync(p)
        .filter((f) => f.endsWith('.gz') && !f.startsWith('.'))
        .sort()
        .map((f) => join(p, f))
      if (files.length === 0) throw new InputError('no .gz capture files in this folder', p)
      out.push(...files)
    } else out.push(p)
  }
  return out
}

function tickerOf(files: string[], o: LoadOptions): Promise<TickerStream> {
  const key = files.join('\n')
  let p = o.tickerCache?.get(key)
  if (!p) {
    p = readTickerStream(files, o.signal)
    o.tickerCache?.set(key, p)
  }
  return p
}

export async function loadSeries(spec: SourceSpec, o: LoadOptions): Promise<MarketSeries> {
  switch (spec.kind) {
    case 'capture': {
      const files = captureFilesOf(spec)
      const tickerStream = o.withTicker === true ? await tickerOf(files, o) : undefined
      return (await captureSeries(spec, files, { ...o, tickerStream })).series
    }
    case 'bookticker': {
      const files = captureFilesOf(spec)
      return bookTickerSeries(spec, files, o, await tickerOf(files, o))
    }
    case 'lake':
      return lakeSeries(spec, o)
    case 'lakebook':
      return lakeBookSeries(spec, o)
    case 'dataset':
      return datasetSeries(spec, { ...o, meta: o.datasetMeta })
    case 'converted': {
      // The question "does the Lake format lose information?" in one call: convert, then replay
      // the converted tables exactly as a `lake:` source.
      const dir = mkdtempSync(join(tmpdir(), 'lakebook-fidelity-'))
      try {
        const conv = await convertCaptureToLake(captureFilesOf(spec), dir, { signal: o.signal })
        const s = await lakeSeries(
          { ...spec, root: dir, exchange: conv.exchange, symbol: conv.symbol },
          o
        )
        return {
          ...s,
          notes: [
            `converted to Crypto Lake format (${conv.rows.book_delta_v2} delta rows, ${conv.rows.trades} trades, ${conv.rows.book} book rows) and replayed`,
            ...s.notes
          ]
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}
