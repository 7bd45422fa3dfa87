// The capture replay's first look at its files: their order (by first receive time), the symbol
// and market of the first depth diff, and a snapshot's prices for detecting an unknown tick.
import type { Market } from '../book/binanceDepthSync'
import { InputError } from '../../util/errors'
import { IssueLog } from '../../util/issueLog'
import { readCaptureLines } from './captureReader'
import { parseCaptureJson } from './captureMessages'

export interface Probe {
  readonly files: string[]
  readonly symbol: string
  readonly market: Market
  readonly snapshotPrices: string[]
}

/**
 * Orders the files by their first receive time and reads symbol, market and, when
 * `needsSnapshot(symbol, market)`, a snapshot's prices. A file is read no further than that
 * needs (at most 5000 lines): a day without a snapshot used to be read 5000 lines deep for
 * prices nobody used, a visible share of a scanned replay.
 */
export async function probeCapture(
  files: readonly string[],
  needsSnapshot: (symbol: string, market: Market) => boolean,
  signal?: AbortSignal
): Promise<Probe> {
  const firsts: { file: string; ts: number }[] = []
  let symbol = ''
  let market: Market | null = null
  let snapshotPrices: string[] = []
  const scratch = new IssueLog()
  for (const file of files) {
    let first = NaN
    let seen = 0
    for await (const l of readCaptureLines(file, scratch, undefined, signal)) {
      if (Number.isNaN(first)) first = l.localUs
      if (++seen > 5000) break
      if (symbol !== '' && market !== null) {
        if (snapshotPrices.length > 0 || !needsSnapshot(symbol, market)) break
      }
      let m
      try {
        m = parseCaptureJson(l.json)
      } catch {
        continue
      }
      if (m.kind === 'depth' && symbol === '') {
        symbol = m.symbol
        market = m.pu === null ? 'spot' : 'usdm'
      } else if (m.kind === 'snapshot' && snapshotPrices.length === 0) {
        snapshotPrices = [...m.bids, ...m.asks].map((l) => l[0])
      }
    }
    firsts.push({ file, ts: Number.isNaN(first) ? Infinity : first })
  }
  firsts.sort((a, b) => a.ts - b.ts)
  if (symbol === '' || market === null) {
    throw new InputError('no depth message in the first 5000 lines of any file', files[0])
  }
  return { files: firsts.map((f) => f.file), symbol, market, snapshotPrices }
}
