// Exports from the app: the backfill queue the Export page shows (exports and backfills
// themselves run as jobs).
import { backfillStatus } from '../../export/backfillRun'
import { BackfillStore } from '../../export/backfillStore'
import type { Db } from '../../lake/manifest'
import type { InvokeHandlers } from '../router'

export function exportHandlers(db: Db): Pick<InvokeHandlers, 'backfill.status'> {
  const store = new BackfillStore(db)
  return {
    'backfill.status': (req) => {
      const id = req.id ?? store.latest()?.id
      return id === undefined ? null : backfillStatus(store, id)
    }
  }
}
