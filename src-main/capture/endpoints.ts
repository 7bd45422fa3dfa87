// Binance endpoints, stream names and REST request weights for a capture. The defaults are
// Binance's real public market-data endpoints; every one is configurable so tests (and mirrors)
// point the capture at a local server. Nothing here opens a connection.
import type { CaptureMarket } from '../../src-shared/capture'

export interface Endpoints {
  /** WebSocket base, e.g. wss://stream.binance.com:9443; the combined path /stream is appended. */
  readonly wsBase: string
  /** REST base, e.g. https://api.binance.com. */
  readonly restBase: string
}

export const DEFAULT_ENDPOINTS: Readonly<Record<CaptureMarket, Endpoints>> = {
  spot: { wsBase: 'wss://stream.binance.com:9443', restBase: 'https://api.binance.com' },
  usdm: { wsBase: 'wss://fstream.binance.com', restBase: 'https://fapi.binance.com' }
}

/** The REST order-book path of each market. */
export const DEPTH_PATH: Readonly<Record<CaptureMarket, string>> = {
  spot: '/api/v3/depth',
  usdm: '/fapi/v1/depth'
}

/**
 * Request weight of one depth snapshot (research notes §4.1–4.2): spot 5/25/50/250 for
 * ≤100/≤500/≤1000/≤5000 levels; USD-M 2/5/10/20 for ≤50/100/500/1000.
 */
export function depthWeight(market: CaptureMarket, limit: number): number {
  if (market === 'spot') return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250
  return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20
}

/** The exchange's per-IP request-weight limit per minute (spot 6000, USD-M 2400). */
export const IP_WEIGHT_PER_MINUTE: Readonly<Record<CaptureMarket, number>> = {
  spot: 6000,
  usdm: 2400
}

export interface StreamNames {
  readonly depth: string
  readonly trade: string
  readonly bookTicker: string
}

export function streamNames(
  symbol: string,
  market: CaptureMarket,
  depthStream = 'depth@100ms',
  tradeStream?: 'trade' | 'aggTrade'
): StreamNames {
  const s = symbol.toLowerCase()
  const trade = tradeStream ?? (market === 'spot' ? 'trade' : 'aggTrade')
  return { depth: `${s}@${depthStream}`, trade: `${s}@${trade}`, bookTicker: `${s}@bookTicker` }
}

/** The combined-stream URL: one connection carrying all three streams. */
export function combinedUrl(wsBase: string, streams: StreamNames): string {
  const base = wsBase.replace(/\/+$/, '')
  return `${base}/stream?streams=${[streams.depth, streams.trade, streams.bookTicker].join('/')}`
}

export function depthUrl(
  restBase: string,
  market: CaptureMarket,
  symbol: string,
  limit: number
): string {
  const base = restBase.replace(/\/+$/, '')
  return `${base}${DEPTH_PATH[market]}?symbol=${symbol.toUpperCase()}&limit=${limit}`
}
