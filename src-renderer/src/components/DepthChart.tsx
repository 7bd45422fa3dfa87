// Depth at the cursor's frame: cumulative size from the best bid down and from the best ask up,
// over price (the recorded top 20 per side).
import { useMemo } from 'react'
import type uPlot from 'uplot'
import type { BookFrame } from '../../../src-shared/replay'
import { UPlotChart, stepped } from './UPlotChart'

interface Props {
  readonly frame: BookFrame
  readonly priceDecimals: number
}

/** Prices ascending: bids from the deepest to the best, then asks from the best out. */
function depthColumns(f: BookFrame): uPlot.AlignedData {
  const xs: number[] = []
  const bid: (number | null)[] = []
  const ask: (number | null)[] = []
  let cum = 0
  const bids = f.bids.map(([p, s]) => [p, (cum += s)] as const).reverse()
  for (const [p, c] of bids) {
    xs.push(p)
    bid.push(c)
    ask.push(null)
  }
  cum = 0
  for (const [p, s] of f.asks) {
    cum += s
    xs.push(p)
    bid.push(null)
    ask.push(cum)
  }
  return [xs, bid, ask]
}

export function DepthChart({ frame, priceDecimals }: Props) {
  const data = useMemo(() => depthColumns(frame), [frame])
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: false } },
      series: [
        { label: 'price', value: (_u: uPlot, v: number | null) => v?.toFixed(priceDecimals) ?? '' },
        {
          label: 'bids (cumulative)',
          stroke: '#2e9d5b',
          fill: 'rgba(46,157,91,0.15)',
          ...stepped,
          points: { show: false }
        },
        {
          label: 'asks (cumulative)',
          stroke: '#d2453d',
          fill: 'rgba(210,69,61,0.15)',
          ...stepped,
          points: { show: false }
        }
      ],
      axes: [
        { values: (_u: uPlot, vs: number[]) => vs.map((v) => v.toFixed(priceDecimals)) },
        { size: 60 }
      ]
    }),
    [priceDecimals]
  )
  return (
    <div data-testid="depth-chart" aria-label="order book depth at the cursor">
      <UPlotChart options={options} data={data} height={200} />
    </div>
  )
}
