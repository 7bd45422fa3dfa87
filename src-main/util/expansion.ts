// Limits on how far a compressed input may expand, for every reader that inflates capture data
// (engine/source/captureReader.ts, capture/partReader.ts). The line cap alone stops a gzip that
// expands without newlines at 64 Mi characters, but a bomb WITH newlines (or just a huge file)
// would still be read to the end: a 1 MB gzip can inflate to 1 GiB.
//
// Measured on the shared real captures (../shared/data/binance-captures, `zcat f | wc -c` over
// the file's size): 6.80× (usdm btcusdt 2024-07-18) to 8.83× (spot btcusdt 2024-08-09), 8.00×
// for the smallest file. The limit of 200× leaves a margin of more than 20× over the most
// compressible real file; only past 64 MiB decompressed is the ratio judged, so a small file of
// repeated lines (tests, a quiet day) is never refused for its ratio alone.
import { constants } from 'node:buffer'
import { InputError } from './errors'

/** Refuse past this many decompressed bytes per compressed byte read so far. */
export const MAX_EXPANSION_RATIO = 200
/** The ratio is judged once more than this has been decompressed. */
export const RATIO_CHECK_AFTER = 64 * 2 ** 20
/** The most a single file may decompress to (64 GiB; a real capture day is a few hundred MB). */
export const MAX_DECOMPRESSED_BYTES = 64 * 2 ** 30
/** Overrides MAX_DECOMPRESSED_BYTES, in GiB (e.g. for a multi-day capture file). */
export const MAX_DECOMPRESSED_ENV = 'LAKEBOOK_MAX_DECOMPRESSED_GIB'

export interface ExpansionLimits {
  readonly maxRatio: number
  readonly ratioAfterBytes: number
  readonly maxBytes: number
}

/** The defaults, with the per-file maximum from LAKEBOOK_MAX_DECOMPRESSED_GIB when set. */
export function expansionLimits(env: NodeJS.ProcessEnv = process.env): ExpansionLimits {
  const text = env[MAX_DECOMPRESSED_ENV]
  let maxBytes = MAX_DECOMPRESSED_BYTES
  if (text !== undefined && text.trim() !== '') {
    const gib = Number(text)
    if (!Number.isFinite(gib) || gib <= 0) {
      // A setting the user gave, not a bug: an input error (the job's error kind says so).
      throw new InputError(
        `${MAX_DECOMPRESSED_ENV}=${text.slice(0, 40)} is not a positive number of GiB (the most one capture file may decompress to)`
      )
    }
    maxBytes = Math.floor(gib * 2 ** 30)
  }
  return { maxRatio: MAX_EXPANSION_RATIO, ratioAfterBytes: RATIO_CHECK_AFTER, maxBytes }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`
}

/**
 * Why a file that has decompressed `decompressed` bytes from `compressed` bytes read is refused,
 * or null while it is within the limits. The sentence names the bytes and the ratio.
 */
export function expansionProblem(
  compressed: number,
  decompressed: number,
  limits: ExpansionLimits
): string | null {
  const ratio = decompressed / Math.max(1, compressed)
  const facts = `${decompressed} bytes (${mib(decompressed)}) decompressed from ${compressed} compressed bytes read so far, ${ratio.toFixed(0)}× expansion`
  if (decompressed > limits.maxBytes) {
    return `decompresses past ${limits.maxBytes} bytes (${mib(limits.maxBytes)}), the most one file may (${MAX_DECOMPRESSED_ENV} raises it): ${facts}; the file is refused`
  }
  if (decompressed > limits.ratioAfterBytes && ratio > limits.maxRatio) {
    return `expands more than ${limits.maxRatio}× (real captures expand about 7–9×): ${facts}; the file is refused as a likely gzip bomb`
  }
  return null
}

/**
 * The most the next piece of `compressedNext` bytes may decompress to without breaking a limit
 * (for one-shot inflation, which must be given an output cap up front), plus one byte, so that
 * going past the cap is itself the refusal.
 */
export function outputCap(
  compressed: number,
  decompressed: number,
  compressedNext: number,
  limits: ExpansionLimits
): number {
  const byRatio = Math.max(limits.ratioAfterBytes, limits.maxRatio * (compressed + compressedNext))
  const cap = Math.max(0, Math.min(limits.maxBytes, byRatio) - decompressed) + 1
  // One Buffer holds at most MAX_LENGTH bytes (4 GiB on Node 20).
  return Math.min(cap, constants.MAX_LENGTH)
}
