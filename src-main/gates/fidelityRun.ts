// Runs the fidelity comparison of an exported dataset for its certificate (the exported book
// against the reference: a source spec the user chose, else the Crypto Lake `book` table of the
// inputs) and turns a failure to measure into a sentence: the fidelity gate then fails, since
// nothing measured is not a pass.
import { parseSourceSpec, type DatasetFidelity } from '../../src-shared/fidelity'
import { errorMessage } from '../util/errors'
import { absoluteSource } from '../fidelity/params'
import { datasetFidelity } from '../fidelity/datasetFidelity'
import type { ExportRange } from './exportGates'

export async function measureDatasetFidelity(p: {
  readonly dataset: string
  readonly reference: string | undefined
  readonly range: ExportRange
  readonly signal?: AbortSignal | undefined
}): Promise<{ outcome: DatasetFidelity | null; error: string | null }> {
  try {
    const outcome = await datasetFidelity({
      dataset: p.dataset,
      reference: p.reference === undefined ? null : parseSourceSpec(absoluteSource(p.reference)),
      inputsRoot: p.range.root,
      exchange: p.range.exchange,
      symbol: p.range.symbol,
      from: p.range.from,
      to: p.range.to,
      ...(p.signal ? { signal: p.signal } : {})
    })
    return { outcome, error: null }
  } catch (e) {
    if (p.signal?.aborted === true) throw e
    return { outcome: null, error: `the comparison could not run: ${errorMessage(e)}` }
  }
}
