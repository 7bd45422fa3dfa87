// One line per replayed day about its seed, the same in the CLI summary and the app's counters.
import { fmtInt, fmtPct } from './format'
import type { DaySeed } from './lake'

/** "2024-08-09: seed progressive at 00:00:00.001Z, applied 100.0% of 174,021 delta rows; …". */
export function daySeedLine(d: DaySeed): string {
  const at = d.seedAt ? ` at ${d.seedAt.slice(11)}` : ''
  const open = d.untouchedAtEnd
    ? ` (at the end ${fmtInt(d.untouchedAtEnd.prices)} of the ${fmtInt(d.untouchedAtEnd.span)} prices from the 20th bid to the 20th ask untouched)`
    : ''
  const known =
    d.seed !== 'progressive'
      ? ''
      : d.knownAfterMs === null
        ? `; depth unknown until touched: the top 20 was never fully known${open}`
        : `; top 20 fully known after ${(d.knownAfterMs / 1000).toFixed(1)} s`
  return `${d.day}: seed ${d.seed}${at}, applied ${fmtPct(d.appliedRows, d.deltaRows)} of ${fmtInt(d.deltaRows)} delta rows${known}`
}
