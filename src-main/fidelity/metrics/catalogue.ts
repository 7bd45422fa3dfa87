// The fidelity metric catalogue, in report order. Definitions, units, sampling and what "faithful"
// means for each: docs/fidelity-metrics.md.
import { depthL1, depthL10, depthL20, depthL5 } from './depth'
import { imbalanceL1, imbalanceL20, imbalanceL5 } from './imbalance'
import { bookInterarrival, tradeInterarrival } from './interarrival'
import { ofi } from './ofi'
import { returns1m, returns1s, returns5m } from './returns'
import { spread } from './spread'
import { tradeSize } from './trades'
import type { MetricDef } from './types'

export const METRICS: readonly MetricDef[] = [
  tradeSize,
  tradeInterarrival,
  bookInterarrival,
  spread,
  imbalanceL1,
  imbalanceL5,
  imbalanceL20,
  ofi,
  returns1s,
  returns1m,
  returns5m,
  depthL1,
  depthL5,
  depthL10,
  depthL20
]

export type { MetricContext, MetricDef, MetricSample, ScalarDef, ScalarFn } from './types'
