// Price ticks of the instruments the project works with (Binance exchangeInfo PRICE_FILTER), so a
// replay never has to guess. Unknown symbols fall back to detection from the snapshot, reported.
const ticks: Record<string, string> = {
  'spot:BTCUSDT': '0.01',
  'usdm:BTCUSDT': '0.1',
  'spot:NEXOUSDT': '0.001'
}

export function knownTick(market: 'spot' | 'usdm', symbol: string): string | undefined {
  return ticks[`${market}:${symbol.toUpperCase()}`]
}
