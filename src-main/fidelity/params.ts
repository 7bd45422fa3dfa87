// Fidelity job params from command-line options: source paths made absolute (the job runs in a
// worker that need not share the shell's folder), defaults left to the job, zod-validated.
import { resolve } from 'node:path'
import {
  fidelityParams,
  formatSourceSpec,
  parseSourceSpec,
  type FidelityParams
} from '../../src-shared/fidelity'

/** Source paths made absolute: the job runs in a worker that may not share the shell's folder. */
export function absoluteSource(text: string): string {
  const s = parseSourceSpec(text)
  return formatSourceSpec({
    ...s,
    paths: s.paths.map((p) => resolve(p)),
    root: s.root === null ? null : resolve(s.root)
  })
}

export interface FidelityCliOptions {
  reference: string
  candidate: string[]
  baseline?: string
  grid?: string
  profile?: number
  resamples?: number
  alpha?: number
  seed?: number
  maxN?: number
  scalarM?: number
  thinN?: number
  minN?: number
  report?: string
  workers?: number
}

export function paramsFromOptions(o: FidelityCliOptions): FidelityParams {
  const raw = {
    reference: absoluteSource(o.reference),
    candidates: o.candidate.map(absoluteSource),
    ...(o.baseline !== undefined
      ? { baseline: o.baseline === 'halves' ? 'halves' : absoluteSource(o.baseline) }
      : {}),
    ...(o.grid !== undefined
      ? { gridsMs: o.grid.split(',').map((x) => Number.parseInt(x, 10)) }
      : {}),
    ...(o.profile !== undefined ? { profileMs: o.profile } : {}),
    bootstrap: {
      ...(o.resamples !== undefined ? { resamples: o.resamples } : {}),
      ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(o.maxN !== undefined ? { maxN: o.maxN } : {}),
      ...(o.scalarM !== undefined ? { scalarM: o.scalarM } : {})
    },
    ...(o.thinN !== undefined ? { thinN: o.thinN } : {}),
    ...(o.minN !== undefined ? { minN: o.minN } : {}),
    ...(o.report !== undefined ? { report: resolve(o.report) } : {}),
    ...(o.workers !== undefined ? { workers: o.workers } : {})
  }
  return fidelityParams.parse(raw)
}
