// The statistics layer of the fidelity module: pure, dependency-free functions on Float64Array
// samples. Each file holds one concept and documents which reference implementation it follows
// (scipy, numpy, statsmodels, LOB-Bench, Clauset et al.) and where it deliberately differs.

export { type Sample, StatsInputError } from './validate'
export { Xoshiro128 } from './prng'
export { pairwiseSum } from './sum'
export { quantileSorted, percentileSorted } from './quantile'
export {
  type CentralMoments,
  type KurtosisOptions,
  type ShapeOptions,
  centralMoments,
  excessKurtosis,
  kurtosis,
  mean,
  skewness,
  std,
  variance
} from './moments'
export { type LinearFit, linearFit } from './ols'
export {
  type Ks2SampOptions,
  type Ks2SampResult,
  type KsAlternative,
  type KsMethod,
  type KsPValue,
  ks2samp,
  ks2sampPValue
} from './ks'
export { kstwoSf } from './kstwo'
export { smirnovSf } from './smirnov'
export { type AndersonKSampResult, type AndersonVariant, andersonKSamp } from './andersonDarling'
export {
  type WassersteinOptions,
  type WassersteinZResult,
  wasserstein,
  wassersteinZ
} from './wasserstein'
export {
  type FdEdges,
  type HistogramL1Options,
  type HistogramL1Result,
  fdBinEdges,
  histogramCounts,
  histogramL1
} from './histogram'
export { type BootstrapOptions, type BootstrapResult, bootstrapCi, bootstrapCi2 } from './bootstrap'
export { type ThinOptions, type Thinning, type ThinningDescription, thin } from './sampling'
export {
  type HillResult,
  type PowerLawFit,
  type PowerLawOptions,
  type TailSide,
  hill,
  powerLawFit
} from './tails'
export {
  type AcfDecayFit,
  type AcfDecayOptions,
  type AcfOptions,
  type DecorrelationLag,
  acf,
  acfAbs,
  acfDecaySlope,
  acfWhiteNoiseBand,
  decorrelationLag
} from './acf'
export { type Ar1Fit, ar1HalfLife } from './meanReversion'
export {
  type FanoResult,
  burstiness,
  countsInWindows,
  fanoFactor,
  fanoFactorOfEvents
} from './dispersion'
export {
  type WeightedDistances,
  type WeightedSample,
  assignBins,
  assignDiscrete,
  distinctPooled,
  weightedDistances
} from './weightedDistances'
export { blockResampleIndices, blockResampleWeights } from './blockResample'
