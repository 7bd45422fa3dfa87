// The data gate from the app: which files are staged, passed, warned or failed, per zone and day.
// Validation, profiling, import and certificates run as jobs (their results are in the jobs list).
import type { Db } from '../../lake/manifest'
import { ValidationStore } from '../../validate/store'
import type { InvokeHandlers } from '../router'

export function gateHandlers(db: Db): Pick<InvokeHandlers, 'gate.files'> {
  const store = new ValidationStore(db)
  return {
    'gate.files': (req) =>
      store
        .gateFiles({
          exchange: req.exchange,
          symbol: req.symbol,
          from: req.from ?? '0000-00-00',
          to: req.to ?? '9999-99-99'
        })
        .map((f) => ({
          table: f.table,
          day: f.day,
          filename: f.filename,
          zone: f.zone,
          path: f.path,
          status: f.status,
          reasons: f.reasons,
          bytes: f.bytes,
          validatedAt: f.validatedAt
        }))
  }
}
