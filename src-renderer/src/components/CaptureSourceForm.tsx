// Source form: Binance capture files (paths, or Browse… where the host has a file dialog).
import { useState } from 'react'
import type { AppInfo } from '../../../src-shared/ipc/contract'
import type { JobSpec } from '../../../src-shared/jobs'
import { api } from '../api'

export function CaptureSourceForm({
  info,
  onStart
}: {
  readonly info: AppInfo | null
  readonly onStart: (spec: JobSpec) => void
}) {
  const [paths, setPaths] = useState('')
  const [market, setMarket] = useState<'auto' | 'spot' | 'usdm'>('auto')
  const [error, setError] = useState<string | null>(null)
  const start = (): void => {
    const files = paths
      .split('\n')
      .map((p) => p.trim())
      .filter((p) => p.length > 0)
    if (files.length === 0) {
      setError('enter at least one capture file path')
      return
    }
    setError(null)
    onStart({
      kind: 'replay-capture',
      params: { files, ...(market === 'auto' ? {} : { market }), timeline: true }
    })
  }
  const browse = async (): Promise<void> => {
    const picked = await api.invoke('files.pick', { title: 'Capture files', multi: true })
    if (picked.length > 0) setPaths(picked.join('\n'))
  }
  return (
    <>
      <label htmlFor="capture-paths">Capture files (one path per line)</label>
      <textarea
        id="capture-paths"
        data-testid="capture-paths"
        rows={3}
        value={paths}
        placeholder={
          info?.sampleCaptureDir
            ? `${info.sampleCaptureDir}/spot-btcusdt-20240808/btcusdt_20240808.gz`
            : '/path/to/capture.gz'
        }
        onChange={(e) => {
          setPaths(e.target.value)
        }}
      />
      <div className="row">
        {info?.canPickFiles && <button onClick={() => void browse()}>Browse…</button>}
        <label>
          market{' '}
          <select
            value={market}
            onChange={(e) => {
              setMarket(e.target.value as typeof market)
            }}
          >
            <option value="auto">detect</option>
            <option value="spot">spot</option>
            <option value="usdm">USD-M futures</option>
          </select>
        </label>
        <button className="primary" data-testid="replay-start" onClick={start}>
          Replay
        </button>
      </div>
      {error && <div className="error">{error}</div>}
      {info?.sampleCaptureDir && (
        <div className="muted">Shared real captures: {info.sampleCaptureDir}</div>
      )}
    </>
  )
}
