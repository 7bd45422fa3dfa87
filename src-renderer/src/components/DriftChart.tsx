// Drift of the reconstruction against the reference book rows: Jaccard of the compared levels
// (1 = same prices) and the size L1 distance, over time.
import { useMemo } from 'react'
import type uPlot from 'uplot'
import type { BookSeries } from '../../../src-shared/replay'
import { UPlotChart } from './UPlotChart'
import { utcDate } from './BboChart'

interface Props {
  readonly drift: NonNullable<BookSeries['drift']>
  readonly cursorMs: number | null
}

export function DriftChart({ drift }: Props) {
  const data = useMemo<uPlot.AlignedData>(
    () => [drift.timeMs.map((t) => t / 1000), drift.jaccard, drift.sizeL1],
    [drift]
  )
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: true }, j: { range: [0, 1.05] } },
      tzDate: utcDate,
      series: [
        {},
        { label: 'Jaccard (levels)', stroke: '#1f6feb', scale: 'j', points: { show: false } },
        { label: 'size L1', stroke: '#b36b00', scale: 'l1', points: { show: false } }
      ],
      // Size L1 has its own scale but no axis: its shape matters, the values show in the legend.
      axes: [{}, { scale: 'j', size: 50 }]
    }),
    []
  )
  return <UPlotChart options={options} data={data} height={160} />
}
