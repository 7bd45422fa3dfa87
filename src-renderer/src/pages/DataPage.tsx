// Data: Crypto Lake credentials, access check, inventory with a coverage calendar, a plan with
// volume, time, quota and disk, and the verified download as a job; plus what the lake holds.
import { useEffect, useState } from 'react'
import type {
  AccessReportView,
  CredentialStatus,
  InventoryView,
  LakeSourceParams,
  PlanView
} from '../../../src-shared/acquire'
import { fmtBytes, fmtDuration, fmtInt } from '../../../src-shared/format'
import type { AppInfo, LakeListing } from '../../../src-shared/ipc/contract'
import { api } from '../api'
import { CheckboxList } from '../components/CheckboxList'
import { CoverageCalendar, localCoverage } from '../components/CoverageCalendar'
import { JobProgressPanel } from '../components/JobProgressPanel'
import { startJob } from '../stores/jobs'
import { plainError } from '../plainError'

type Table = 'trades' | 'book' | 'book_delta_v2'
const ALL: Table[] = ['trades', 'book', 'book_delta_v2']

function daysAgo(n: number): string {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() - n)
  return d.toISOString().slice(0, 10)
}

/** What the lake holds locally: its ready and staging zones. */
async function listLocal(
  root: string
): Promise<{ ready: LakeListing | null; staging: LakeListing | null }> {
  const get = (dir: string): Promise<LakeListing | null> =>
    api.invoke('lake.list', { root: dir }).catch(() => null)
  return { ready: await get(`${root}/ready`), staging: await get(`${root}/staging`) }
}

export function DataPage() {
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [cred, setCred] = useState<CredentialStatus | null>(null)
  const [keyId, setKeyId] = useState('')
  const [secret, setSecret] = useState('')
  const [bucket, setBucket] = useState<'paid' | 'sample'>('paid')
  const [endpoint, setEndpoint] = useState('')
  const [exchange, setExchange] = useState('BINANCE')
  const [symbol, setSymbol] = useState('BTC-USDT')
  const [tables, setTables] = useState<Table[]>(ALL)
  const [from, setFrom] = useState(() => daysAgo(30))
  const [to, setTo] = useState(() => daysAgo(1))
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [access, setAccess] = useState<AccessReportView | null>(null)
  const [inv, setInv] = useState<InventoryView | null>(null)
  const [plan, setPlan] = useState<PlanView | null>(null)
  const [downloadJob, setDownloadJob] = useState<string | null>(null)
  const [local, setLocal] = useState<{ ready: LakeListing | null; staging: LakeListing | null }>({
    ready: null,
    staging: null
  })

  useEffect(() => {
    void api.invoke('app.info', null).then((i) => {
      setInfo(i)
      void listLocal(i.lakeRoot).then(setLocal)
    })
    void api.invoke('credentials.status', null).then(setCred)
  }, [])

  const source = (): LakeSourceParams => ({
    bucket,
    exchange,
    symbol,
    ...(endpoint ? { endpoint } : {}),
    ...(bucket === 'sample' ? { anonymous: true } : {})
  })

  const run = async <T,>(
    what: string,
    f: () => Promise<T>,
    done: (r: T) => void
  ): Promise<void> => {
    setBusy(what)
    setError(null)
    try {
      done(await f())
    } catch (e) {
      setError(plainError(e))
    } finally {
      setBusy(null)
    }
  }

  const saveKeys = (): void => {
    void run(
      'credentials',
      () => api.invoke('credentials.set', { accessKeyId: keyId.trim(), secretAccessKey: secret }),
      (s) => {
        setCred(s)
        setSecret('')
      }
    )
  }

  return (
    <div>
      <h2>Data</h2>
      <section className="panel">
        <h3>Crypto Lake access</h3>
        {cred?.backend === 'keychain' ? (
          <div className="row">
            <span data-testid="cred-status">
              {cred.stored
                ? `keys stored in the OS keychain (${cred.keyId ?? 'unreadable'})`
                : 'no keys stored'}
            </span>
            {cred.warning !== null && (
              <span className="error" data-testid="cred-warning">
                {cred.warning}
              </span>
            )}
            <input
              placeholder="access key id"
              value={keyId}
              onChange={(e) => {
                setKeyId(e.target.value)
              }}
            />
            <input
              placeholder="secret access key"
              type="password"
              value={secret}
              onChange={(e) => {
                setSecret(e.target.value)
              }}
            />
            <button onClick={saveKeys}>Save</button>
            {cred.stored && (
              <button
                onClick={() =>
                  void run('credentials', () => api.invoke('credentials.clear', null), setCred)
                }
              >
                Forget
              </button>
            )}
          </div>
        ) : (
          <div className="muted" data-testid="cred-status">
            This host keeps no keys: downloads use the AWS credentials of the machine it runs on
            (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or a profile). The free sample bucket needs
            none.
          </div>
        )}
        <div className="row">
          <label>
            bucket{' '}
            <select
              value={bucket}
              onChange={(e) => {
                setBucket(e.target.value as 'paid' | 'sample')
              }}
            >
              <option value="paid">qnt.data (subscription)</option>
              <option value="sample">sample.crypto.lake (free sample)</option>
            </select>
          </label>
          <label>
            exchange{' '}
            <input
              value={exchange}
              onChange={(e) => {
                setExchange(e.target.value)
              }}
              size={16}
            />
          </label>
          <label>
            symbol{' '}
            <input
              value={symbol}
              onChange={(e) => {
                setSymbol(e.target.value)
              }}
              size={14}
            />
          </label>
          <label>
            from{' '}
            <input
              type="date"
              value={from}
              onChange={(e) => {
                setFrom(e.target.value)
              }}
            />
          </label>
          <label>
            to{' '}
            <input
              type="date"
              value={to}
              onChange={(e) => {
                setTo(e.target.value)
              }}
            />
          </label>
        </div>
        <div className="row">
          <CheckboxList options={ALL} value={tables} onChange={setTables} />
          <label>
            S3 endpoint{' '}
            <input
              placeholder="AWS (default)"
              value={endpoint}
              onChange={(e) => {
                setEndpoint(e.target.value)
              }}
              size={28}
            />
          </label>
        </div>
        <div className="row">
          <button
            disabled={busy !== null}
            onClick={() =>
              void run(
                'access',
                () => api.invoke('acquire.verifyAccess', { source: source() }),
                setAccess
              )
            }
          >
            Verify access
          </button>
          <button
            disabled={busy !== null}
            data-testid="inventory"
            onClick={() =>
              void run(
                'inventory',
                () => api.invoke('acquire.inventory', { source: source(), tables, from, to }),
                setInv
              )
            }
          >
            Inventory
          </button>
          <button
            disabled={busy !== null}
            onClick={() =>
              void run(
                'plan',
                () => api.invoke('acquire.plan', { source: source(), tables, from, to }),
                setPlan
              )
            }
          >
            Plan
          </button>
          <button
            className="primary"
            disabled={busy !== null}
            data-testid="download"
            onClick={() =>
              void run(
                'download',
                () =>
                  startJob({
                    kind: 'download',
                    params: { source: source(), tables, from, to, start: 'now' }
                  }),
                setDownloadJob
              )
            }
          >
            Download
          </button>
          {busy && <span className="muted">{busy}…</span>}
        </div>
        {error && (
          <div className="error" data-testid="data-error">
            {error}
          </div>
        )}
      </section>

      {access && (
        <section className="panel">
          <h3>
            Access{' '}
            {access.ok ? (
              <span className="state state-done">ok</span>
            ) : (
              <span className="state state-failed">problem</span>
            )}
          </h3>
          <table className="jobs">
            <tbody>
              {access.tables.map((t) => (
                <tr key={t.table}>
                  <td className="mono">{t.table}</td>
                  <td className={`state state-${t.status === 'ok' ? 'done' : 'failed'}`}>
                    {t.status}
                  </td>
                  <td>{t.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {inv && (
        <section className="panel">
          <h3>Inventory · {inv.target}</h3>
          <table className="jobs">
            <tbody>
              {inv.tables.map((t) => (
                <tr key={t.table}>
                  <td className="mono">{t.table}</td>
                  <td>{fmtInt(t.files)} files</td>
                  <td>{fmtInt(t.days)} days</td>
                  <td>{fmtBytes(t.bytes)}</td>
                  <td className="muted">{t.source}</td>
                  <td className="error">{t.error?.message ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {inv.coverage && <CoverageCalendar coverage={inv.coverage} title="Crypto Lake" />}
        </section>
      )}

      {plan && (
        <section className="panel" data-testid="plan">
          <h3>
            Plan{' '}
            {plan.decision.kind === 'ok' ? (
              <span className="state state-done">ok</span>
            ) : (
              <span className="state state-failed">refused</span>
            )}
          </h3>
          <div>{plan.decision.message}</div>
          <div className="muted">
            {fmtInt(plan.files)} files, {fmtBytes(plan.bytes)}; to download{' '}
            {fmtInt(plan.toDownload.files)} ({fmtBytes(plan.toDownload.bytes)}), already verified{' '}
            {fmtInt(plan.alreadyVerified.files)}; time{' '}
            {plan.estimatedSeconds === null
              ? 'unknown (rate not measured)'
              : fmtDuration(plan.estimatedSeconds * 1000)}
          </div>
          <div className="muted">
            quota: {(100 * plan.quota.shareOfMonthlyQuota).toFixed(1)}% of{' '}
            {fmtBytes(plan.quota.bytesPerMonth)}/month (used {fmtBytes(plan.quota.usedThisMonth)},
            remaining {fmtBytes(plan.quota.remainingThisMonth)}, months needed{' '}
            {plan.quota.monthsNeeded}); disk: {fmtBytes(plan.disk.neededBytes)} of{' '}
            {fmtBytes(plan.disk.freeBytes)} free {plan.disk.ok ? '' : '— NOT ENOUGH'}
          </div>
          {plan.schedule.length > 0 && (
            <table className="jobs">
              <tbody>
                {plan.schedule.map((m) => (
                  <tr key={m.month}>
                    <td>{m.month}</td>
                    <td>{fmtInt(m.files)} files</td>
                    <td>{fmtBytes(m.bytes)}</td>
                    <td>
                      {m.firstDt} → {m.lastDt}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      {downloadJob && <JobProgressPanel jobId={downloadJob} />}

      <section className="panel">
        <div className="row">
          <h3>In this lake</h3>
          <button
            onClick={() => {
              if (info) void listLocal(info.lakeRoot).then(setLocal)
            }}
          >
            Refresh
          </button>
          <span className="muted mono">{info?.lakeRoot}</span>
        </div>
        {(['ready', 'staging'] as const).map((zone) => {
          const l = local[zone]
          if (!l || l.series.length === 0)
            return (
              <div key={zone} className="muted">
                {zone}: nothing yet
              </div>
            )
          return l.series.map((s) => {
            const cov = localCoverage(s.days)
            return cov ? (
              <CoverageCalendar
                key={`${zone}${s.exchange}${s.symbol}`}
                coverage={cov}
                title={`${zone} · ${s.exchange} ${s.symbol}`}
              />
            ) : null
          })
        })}
      </section>
    </div>
  )
}
