// Source form of the Book page: a range of Lake data, replayed with or without the trade impact model.
import { useState } from 'react'
import type { AppInfo } from '../../../src-shared/ipc/contract'
import type { JobSpec } from '../../../src-shared/jobs'
import type { LakeSeedPolicy } from '../../../src-shared/lake'
import { LakeRangePicker } from './LakeRangePicker'

export function LakeSourceForm({
  info,
  onStart
}: {
  readonly info: AppInfo | null
  readonly onStart: (spec: JobSpec) => void
}) {
  const [tradeImpact, setTradeImpact] = useState(false)
  const [seed, setSeed] = useState<LakeSeedPolicy>('auto')
  return (
    <LakeRangePicker info={info}>
      {(range) => (
        <>
          <label title="Day files start mid-stream: seed from a book row or snapshot burst (auto, a day with neither fails), or build the book from the deltas with every price unknown until touched (progressive)">
            seed{' '}
            <select
              data-testid="lake-seed"
              value={seed}
              onChange={(e) => {
                setSeed(e.target.value === 'progressive' ? 'progressive' : 'auto')
              }}
            >
              <option value="auto">book row or burst</option>
              <option value="progressive">progressive</option>
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              data-testid="lake-trade-impact"
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
                params: { ...range, tradeImpact, timeline: true, policy: { seed } }
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
