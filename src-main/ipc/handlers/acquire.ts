// Acquisition from the app: access check, inventory and plan answered in main (network I/O, no CPU
// work); downloads run as jobs. Keys come from the host's secret store, never from the UI's request.
import type { LakeSecrets } from '../../../src-shared/acquire'
import type { Db } from '../../lake/manifest'
import { verifyAccess } from '../../sources/cryptolake/access'
import { recordAccessCheck } from '../../gates/service'
import { inventory } from '../../sources/cryptolake/inventory'
import { planAcquisition, quotaMonthStart } from '../../sources/cryptolake/plan'
import { clientFor } from '../../sources/cryptolake/session'
import { SqlAcquisitionLedger } from '../../sources/cryptolake/sqlLedger'
import type { InvokeHandlers } from '../router'

export interface SecretStore {
  status(): ReturnType<InvokeHandlers['credentials.status']>
  set(
    keys: LakeSecrets & { accessKeyId: string; secretAccessKey: string }
  ): ReturnType<InvokeHandlers['credentials.status']>
  clear(): ReturnType<InvokeHandlers['credentials.status']>
  /** The keys for a job or request, or undefined (then the AWS default chain is used). */
  get(): LakeSecrets | undefined
}

/** Where no OS keychain is available (the browser host): the AWS default chain of the host. */
export const defaultChainStore: SecretStore = {
  status: () => ({ backend: 'default-chain', stored: false, keyId: null, warning: null }),
  set: () => {
    throw new Error(
      'this host keeps no keys: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile where it runs'
    )
  },
  clear: () => ({ backend: 'default-chain', stored: false, keyId: null, warning: null }),
  get: () => undefined
}

type AcquireHandlers = Pick<
  InvokeHandlers,
  | 'acquire.verifyAccess'
  | 'acquire.inventory'
  | 'acquire.plan'
  | 'credentials.status'
  | 'credentials.set'
  | 'credentials.clear'
>

export function acquireHandlers(opts: {
  lakeRoot: string
  db: Db
  secrets: SecretStore
}): AcquireHandlers {
  return {
    'acquire.verifyAccess': async ({ source }) => {
      const client = clientFor(source, opts.secrets.get())
      try {
        const r = await verifyAccess(client, { exchange: source.exchange, symbol: source.symbol })
        recordAccessCheck(opts.lakeRoot, r.ok, r)
        return r
      } finally {
        client.destroy()
      }
    },
    'acquire.inventory': async (req) => {
      const client = clientFor(req.source, opts.secrets.get())
      try {
        return await inventory(client, {
          exchange: req.source.exchange,
          symbol: req.source.symbol,
          ...(req.tables ? { tables: req.tables } : {}),
          ...(req.from ? { from: req.from } : {}),
          ...(req.to ? { to: req.to } : {})
        })
      } finally {
        client.destroy()
      }
    },
    'acquire.plan': async (req) => {
      const client = clientFor(req.source, opts.secrets.get())
      try {
        const inv = await inventory(client, {
          exchange: req.source.exchange,
          symbol: req.source.symbol,
          from: req.from,
          to: req.to,
          ...(req.tables ? { tables: req.tables } : {})
        })
        const failed = inv.tables.find((t) => t.error)
        if (failed)
          throw new Error(`inventory failed for ${failed.table}: ${failed.error?.message ?? ''}`)
        const ledger = new SqlAcquisitionLedger(opts.db)
        const { objects: _objects, ...plan } = planAcquisition(inv, {
          from: req.from,
          to: req.to,
          lakeRoot: opts.lakeRoot,
          ...(req.tables ? { tables: req.tables } : {}),
          ...(req.quotaGb !== undefined ? { quotaBytesPerMonth: req.quotaGb * 1e9 } : {}),
          usedThisMonthBytes: ledger.bytesTransferredSince(quotaMonthStart()),
          start: req.start ?? 'schedule',
          ledger
        })
        return plan
      } finally {
        client.destroy()
      }
    },
    'credentials.status': () => opts.secrets.status(),
    'credentials.set': (req) => opts.secrets.set(req),
    'credentials.clear': () => opts.secrets.clear()
  }
}
