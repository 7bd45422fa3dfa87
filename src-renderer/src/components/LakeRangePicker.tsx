// Picks a range of Lake data: a lake root (or a folder in the vendor's layout) → exchange/symbol →
// first and last day. What to do with the range is the caller's: `children` renders its controls
// on the same row once a series is loaded. `zone="staging"` lists a lake's staged files (what
// export --validate reads) instead of its ready/ zone; the caller keys the picker by zone, so a
// listing of the other zone is never shown.
import { useState, type ReactNode } from 'react'
import type { AppInfo, LakeListing } from '../../../src-shared/ipc/contract'
import { api } from '../api'
import { plainError } from '../plainError'

export interface LakeRange {
  readonly root: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string
  readonly to: string
}

export function LakeRangePicker({
  info,
  zone,
  children
}: {
  readonly info: AppInfo | null
  readonly zone?: 'staging' | undefined
  readonly children: (range: LakeRange) => ReactNode
}) {
  const [root, setRoot] = useState(info?.lakeRoot ?? '')
  const [listing, setListing] = useState<LakeListing | null>(null)
  const [series, setSeries] = useState(0)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [error, setError] = useState<string | null>(null)

  const load = async (dir = root): Promise<void> => {
    setError(null)
    try {
      const l = await api.invoke('lake.list', { root: dir, ...(zone ? { zone } : {}) })
      setListing(l)
      setSeries(0)
      const days = l.series[0]?.days.book_delta_v2 ?? []
      setFrom(days[0] ?? '')
      setTo(days[days.length - 1] ?? '')
      if (l.series.length === 0) setError(`no Crypto Lake tables under ${l.base}`)
    } catch (e) {
      setListing(null)
      setError(plainError(e))
    }
  }
  const browse = async (): Promise<void> => {
    const picked = await api.invoke('files.pick', {
      title: 'Lake root',
      multi: false,
      directory: true
    })
    if (picked[0]) {
      setRoot(picked[0])
      await load(picked[0])
    }
  }
  const s = listing?.series[series]
  const days = s?.days.book_delta_v2 ?? []
  const daySelect = (id: string, value: string, set: (d: string) => void) => (
    <select
      data-testid={id}
      value={value}
      onChange={(e) => {
        set(e.target.value)
      }}
    >
      {days.map((d) => (
        <option key={d}>{d}</option>
      ))}
    </select>
  )
  return (
    <>
      <label htmlFor="lake-root">Lake root or vendor-layout folder</label>
      <div className="row">
        <input
          id="lake-root"
          data-testid="lake-root"
          className="grow mono"
          value={root}
          onChange={(e) => {
            setRoot(e.target.value)
          }}
        />
        {info?.canPickFiles && <button onClick={() => void browse()}>Browse…</button>}
        <button data-testid="lake-load" onClick={() => void load()}>
          Load
        </button>
      </div>
      {listing && s && (
        <div className="row">
          <select
            data-testid="lake-series"
            value={series}
            onChange={(e) => {
              setSeries(Number(e.target.value))
            }}
          >
            {listing.series.map((x, i) => (
              <option key={`${x.exchange}/${x.symbol}`} value={i}>
                {x.exchange} {x.symbol}
              </option>
            ))}
          </select>
          <label>from {daySelect('lake-from', from, setFrom)}</label>
          <label>to {daySelect('lake-to', to, setTo)}</label>
          {children({ root: listing.root, exchange: s.exchange, symbol: s.symbol, from, to })}
        </div>
      )}
      {listing && (
        <div className="muted">
          {listing.base}:{' '}
          {listing.series
            .map((x) => `${x.exchange} ${x.symbol} (${x.days.book_delta_v2.length} days)`)
            .join(', ')}
        </div>
      )}
      {error && <div className="error">{error}</div>}
    </>
  )
}
