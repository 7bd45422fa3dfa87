// The fidelity job: parses the source specs, builds the series (reference, baseline source if any,
// candidates), measures every metric, and writes the HTML report when asked. Runs in a job worker
// like every other job; the registry entry is the lead's (see the integration notes).
import { resolve } from 'node:path'
import {
  parseSourceSpec,
  type FidelityParams,
  type FidelityResult,
  type SourceSpec
} from '../../src-shared/fidelity'
import type { JobContext } from '../jobs/context'
import type { DecodeWorkerSpec } from '../engine/source/parallelSources'
import { writeFileAtomic } from '../util/atomicWrite'
import { VERSION } from '../version'
import { DEFAULT_SETTINGS, measureFidelity, type FidelitySettings } from './measure'
import { renderFidelityReport } from './report'
import type { MarketSeries } from './series'
import { loadSeries, type LoadOptions } from './sources'
import type { TickerStream } from './tickerStream'

export function settingsOf(p: FidelityParams): FidelitySettings {
  const d = DEFAULT_SETTINGS
  return {
    gridsMs: p.gridsMs ?? d.gridsMs,
    profileMs: p.profileMs ?? d.profileMs,
    resamples: p.bootstrap?.resamples ?? d.resamples,
    alpha: p.bootstrap?.alpha ?? d.alpha,
    seed: p.bootstrap?.seed ?? d.seed,
    maxN: p.bootstrap?.maxN ?? d.maxN,
    scalarM: p.bootstrap?.scalarM ?? d.scalarM,
    thinN: p.thinN ?? d.thinN,
    minN: p.minN ?? d.minN
  }
}

/** The report's provenance lines: sources, version, job, time and settings. */
export function provenanceOf(
  params: FidelityParams,
  settings: FidelitySettings,
  jobId: string
): [string, string][] {
  return [
    ['reference', params.reference],
    ...params.candidates.map((c, i): [string, string] => [`candidate ${i + 1}`, c]),
    ['baseline', params.baseline ?? 'halves'],
    ['lakebook', VERSION],
    ['job', jobId],
    ['generated', new Date().toISOString()],
    [
      'settings',
      `grids ${settings.gridsMs.join('/')} ms, profile ${settings.profileMs} ms, ${settings.resamples} resamples, alpha ${settings.alpha}, seed ${settings.seed}, bootstrap view ≤ ${settings.maxN}, scalar resamples of ≤ ${settings.scalarM}, thinned n ≤ ${settings.thinN}`
    ]
  ]
}

/** Runs a whole fidelity comparison. `decodeWorker` enables Parquet decode workers for lake sources. */
export async function runFidelityJob(
  params: FidelityParams,
  ctx: JobContext,
  decodeWorker?: DecodeWorkerSpec,
  extra: Pick<LoadOptions, 'datasetMeta'> = {}
): Promise<FidelityResult> {
  const started = performance.now()
  const settings = settingsOf(params)
  const reference = parseSourceSpec(params.reference)
  const candidates = params.candidates.map(parseSourceSpec)
  const baselineSpec =
    params.baseline === undefined || params.baseline === 'halves'
      ? null
      : parseSourceSpec(params.baseline)
  const all = [reference, ...(baselineSpec ? [baselineSpec] : []), ...candidates]
  const withTicker = all.some((s) => s.kind === 'bookticker')
  const workers = params.workers ?? 0
  const tickerCache = new Map<string, Promise<TickerStream>>()

  let step = 0
  const load = async (spec: SourceSpec): Promise<MarketSeries> => {
    step++
    const message = `reading ${step}/${all.length}: ${spec.text}`
    ctx.log('info', message)
    ctx.progress({ done: 0, total: null, unit: 'sources', message })
    const s = await loadSeries(spec, {
      gridsMs: settings.gridsMs,
      profileMs: settings.profileMs,
      withTicker,
      tickerCache,
      workers,
      decodeWorker: workers > 0 ? decodeWorker : undefined,
      signal: ctx.signal,
      ...extra,
      onProgress: (done, total, unit) => {
        ctx.progress({ done, total, unit, message })
      }
    })
    ctx.checkCancelled()
    for (const n of s.notes) ctx.log('info', `${spec.text}: ${n}`)
    if (s.events.n === 0) ctx.log('warn', `${spec.text}: no book events in the window`)
    return s
  }

  const refSeries = await load(reference)
  const baseSeries = baselineSpec ? await load(baselineSpec) : null
  const candSeries: MarketSeries[] = []
  for (const c of candidates) candSeries.push(await load(c))

  const core = measureFidelity({
    reference: refSeries,
    candidates: candSeries,
    baseline: baseSeries ? { kind: 'source', series: baseSeries } : { kind: 'halves' },
    settings,
    signal: ctx.signal,
    onMetric: (done, total, id) => {
      ctx.progress({ done, total, unit: 'metrics', message: `measuring ${id}` })
    }
  })
  ctx.checkCancelled()
  let report: string | null = null
  const elapsedMs = Math.round(performance.now() - started)
  if (params.report !== undefined) {
    report = resolve(params.report)
    const html = renderFidelityReport(
      { ...core, report, elapsedMs },
      provenanceOf(params, settings, ctx.jobId)
    )
    writeFileAtomic(report, html)
    ctx.log('info', `report written to ${report}`)
  }
  return { ...core, report, elapsedMs }
}
