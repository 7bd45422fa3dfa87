// Source form of the Book page: a range of Lake data, replayed with or without the trade impact model.
import { useState } from 'react'
import type { AppInfo } from '../../../src-shared/ipc/contract'
import type { JobSpec } from '../../../src-shared/jobs'
import { LakeRangePicker } from './LakeRangePicker'

export function LakeSourceForm({
  info,
  onStart
}: {
  readonly info: AppInfo | null
  readonly onStart: (spec: JobSpec) => void
}) {
  const [tradeImpact, setTradeImpact] = useState(false)
  return (
    <LakeRangePicker info={info}>
      {(range) => (
        <>
          <label>
            <input
              type="checkbox"
              checked={tradeImpact}
              onChange={(e) => {
                setTradeImpact(e.target.checked)
              }}
            />{' '}
            trade impact model
          </label>
          <button
            className="primary"
            data-testid="lake-replay-start"
            onClick={() => {
              onStart({
                kind: 'replay-lake',
                params: { ...range, tradeImpact, timeline: true }
              })
            }}
          >
            Replay
          </button>
        </>
      )}
    </LakeRangePicker>
  )
}
