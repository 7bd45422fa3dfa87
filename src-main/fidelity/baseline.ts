// The real-versus-real noise floor. Two real samples of the same market — the two halves of the
// reference window (default) or the reference against another real period — differ by some
// distance; a candidate is "within the noise between two real periods" when its distance to the
// reference is no larger than the one-sided 99% upper bound of that real-vs-real distance
// (LOB-Bench's `calc_baseline_errors_by_score`: the baseline bootstrap's 99th percentile). LOB-Bench
// passes ci_alpha=0.98 to its two-sided percentile helper for this, which yields its 49th–51st
// percentiles; the 99th percentile is taken here directly, as its comment intends.
//
// Verdicts: within — estimate <= threshold; beyond — even the CI's lower end is above the
// threshold; marginal — in between. The halves are half as long as the reference, so for
// distances dominated by sampling noise the threshold is a little generous; for real markets it is
// dominated by the change between periods, which is the point.
import type { DistanceResult, Verdict } from '../../src-shared/fidelity'
import { interval, upperBound } from './prepared'

export const THRESHOLD_QUANTILE = 0.99

export function verdictOf(estimate: number, lower: number, threshold: number): Verdict {
  if (!Number.isFinite(estimate) || !Number.isFinite(threshold)) return 'n/a'
  if (estimate <= threshold) return 'within'
  if (Number.isFinite(lower) && lower > threshold) return 'beyond'
  return 'marginal'
}

/**
 * A distance with its estimate (median) and CI from the candidate's replicates and its threshold
 * from the baseline's; the baseline distance is reported the same way (its replicates' median).
 */
export function distanceResult(
  candidate: Float64Array,
  baseline: Float64Array,
  alpha: number
): DistanceResult {
  // The estimate is the replicates' median, not the plug-in replicate 0: a distance between two
  // independently resampled samples is larger than between the samples themselves, so the
  // plug-in value can sit below its own percentile interval (docs/fidelity-metrics.md).
  const estimate = upperBound(candidate, 0.5)
  const [lower, upper] = interval(candidate, alpha)
  const threshold = upperBound(baseline, THRESHOLD_QUANTILE)
  return {
    estimate,
    lower,
    upper,
    plugIn: candidate[0] ?? NaN,
    baseline: upperBound(baseline, 0.5),
    threshold,
    verdict: verdictOf(estimate, lower, threshold)
  }
}

const RANK: Record<Verdict, number> = { 'n/a': -1, within: 0, marginal: 1, beyond: 2 }

/** The worst of several verdicts ('n/a' only when all are). */
export function worst(verdicts: readonly Verdict[]): Verdict {
  let w: Verdict = 'n/a'
  for (const v of verdicts) if (RANK[v] > RANK[w]) w = v
  return w
}
