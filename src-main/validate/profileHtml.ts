// The profile as a self-contained HTML page (src-main/report): an overview table per table and
// day, then per partition the events per minute, inter-event times, trade sizes or spreads as
// inline SVG charts with their quantiles, quiet periods, and the format gap (what the Lake replay
// says about book_delta_v2 against book) with the reconstruction requirements that follow.
import type { ProfileResult, Quantiles, TableDayProfile } from '../../src-shared/validate'
import { esc, renderReport, table, type Cell, type ReportSection } from '../html/html'
import { histogramChart, lineChart } from '../html/svg'
import { VERSION } from '../version'

const qcells = (q: Quantiles | null): Cell[] =>
  q === null ? ['', '', '', '', ''] : [q.min, q.p50, q.p95, q.p99, q.max]

function quantileTable(rows: readonly [string, Quantiles | null][]): string {
  return table(
    ['measure', 'min', 'median', 'p95', 'p99', 'max'],
    rows.map(([label, q]) => [label, ...qcells(q)])
  )
}

function partition(p: TableDayProfile): ReportSection {
  const charts: string[] = []
  charts.push(
    lineChart(
      [
        {
          label: p.table === 'book_delta_v2' ? 'messages / min' : 'rows / min',
          x: p.perMinute.counts.map((_, i) => p.perMinute.startMs + i * 60_000),
          y: p.perMinute.counts,
          style: 'step'
        }
      ],
      { title: 'events per minute (receive time, UTC)', xTime: true, width: 520, height: 220 }
    )
  )
  if (p.interEventHistogram)
    charts.push(
      histogramChart(
        p.interEventHistogram.edges,
        [{ label: 'events', counts: p.interEventHistogram.counts }],
        {
          title: 'time between events (ms, log scale)',
          logX: true,
          width: 520,
          height: 220
        }
      )
    )
  const rows: [string, Quantiles | null][] = [
    ['time between events (ms)', p.interEventMs],
    ['feed lag receive − origin (ms)', p.feedLagMs]
  ]
  if (p.trades) {
    rows.push(['trade size', p.trades.size])
    if (p.trades.sizeHistogram)
      charts.push(
        histogramChart(
          p.trades.sizeHistogram.edges,
          [{ label: 'trades', counts: p.trades.sizeHistogram.counts }],
          {
            title: 'trade size (base asset, log scale)',
            logX: true,
            width: 520,
            height: 220
          }
        )
      )
  }
  if (p.book) {
    rows.push(
      ['spread (ticks)', p.book.spreadTicks],
      ['bid levels present', p.book.bidLevels],
      ['ask levels present', p.book.askLevels],
      ['depth top 5, both sides (base)', p.book.depth5],
      ['depth top 20, both sides (base)', p.book.depth20]
    )
    if (p.book.spreadHistogram)
      charts.push(
        histogramChart(
          p.book.spreadHistogram.edges,
          [{ label: 'book rows', counts: p.book.spreadHistogram.counts }],
          {
            title: 'spread (ticks)',
            width: 520,
            height: 220
          }
        )
      )
  }
  if (p.deltas)
    rows.push(
      ['rows per message', p.deltas.rowsPerMessage],
      ['sequence jump', p.deltas.sequenceJump]
    )
  const facts: [string, string | number][] = [
    ['files', p.files.join(', ')],
    ['rows', p.rows],
    ['events', p.events],
    ['receive span', `${p.firstReceive ?? ''} … ${p.lastReceive ?? ''} (${p.spanSeconds} s)`],
    [
      'events per minute',
      `mean ${p.eventsPerMinute.mean}, min ${p.eventsPerMinute.min}, max ${p.eventsPerMinute.max}`
    ],
    [
      `quiet periods > ${p.quiet.thresholdSeconds} s`,
      `${p.quiet.count} (${p.quiet.totalSeconds} s in all); longest: ${p.quiet.longest
        .slice(0, 3)
        .map((q) => `${q.seconds} s from ${q.from}`)
        .join('; ')}`
    ]
  ]
  if (p.trades)
    facts.push(['buy share', p.trades.buyShare], ['notional (quote)', p.trades.notional])
  if (p.book) facts.push(['crossed or locked rows', p.book.crossedShare])
  if (p.deltas)
    facts.push(
      ['delete rows (size 0)', p.deltas.deleteShare],
      ['bid rows', p.deltas.bidShare],
      ['snapshot bursts', p.deltas.bursts]
    )
  for (const u of p.unreadable) facts.push(['unreadable', `${u.file}: ${u.reason}`])
  return {
    heading: `${p.table} ${p.day}`,
    html:
      table(
        ['', ''],
        facts.map(([k, v]) => [k, v])
      ) +
      quantileTable(rows) +
      `<div class="charts">${charts.join('')}</div>`
  }
}

export function renderProfileHtml(r: ProfileResult, generatedAt: string): string {
  const g = r.formatGap
  const overview = table(
    [
      'table',
      'day',
      'rows',
      'events',
      'span (s)',
      'events/min',
      'median gap (ms)',
      'median lag (ms)'
    ],
    r.tables.map((p) => [
      p.table,
      p.day,
      p.rows,
      p.events,
      p.spanSeconds,
      p.eventsPerMinute.mean,
      p.interEventMs?.p50 ?? null,
      p.feedLagMs?.p50 ?? null
    ])
  )
  const replay = g.replay
  const gapHtml =
    (replay === null
      ? `<p>Lake replay: ${esc(g.replayError ?? 'not run')}</p>`
      : table(
          ['measure', 'value'],
          [
            ['book_delta_v2 messages', replay.deltaMessages],
            ['book rows', replay.bookRows],
            ['delta messages per book row', g.deltaMessagesPerBookRow ?? ''],
            ['largest message (rows)', g.largestMessageRows],
            [
              'seeds from book / from burst',
              `${replay.seeds.fromBook} / ${replay.seeds.fromBurst}`
            ],
            ['bursts', replay.bursts],
            ['reseeds', replay.reseeds],
            ['crossed (ms)', replay.crossedMs],
            ['unknown-depth share', replay.unknownDepthShare],
            ['book rows compared (aligned by sequence)', replay.drift.aligned],
            [
              'rows behind / ahead of the deltas',
              `${replay.drift.rowBehind} / ${replay.drift.rowAhead}`
            ],
            ['aligned rows identical', replay.drift.exactRows],
            ['mean / min Jaccard', `${replay.drift.meanJaccard} / ${replay.drift.minJaccard}`],
            ['best price mismatch rows', replay.drift.bestPriceMismatchRows],
            ['mean |mid error| (ticks)', replay.drift.meanAbsMidErrTicks],
            ['drift alerts', replay.drift.alerts]
          ]
        )) +
    `<h3>Reconstruction requirements</h3><ul>${g.requirements.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`
  return renderReport({
    title: `Profile ${r.exchange} ${r.symbol}`,
    subtitle: `${r.from ?? '…'} to ${r.to ?? '…'} · tick ${r.tick ?? 'unknown'}`,
    provenance: [
      ['data', r.root],
      ['code version', VERSION],
      ['generated', generatedAt]
    ],
    sections: [
      { heading: 'Overview', html: overview },
      { heading: 'Format gap: book_delta_v2 against book', html: gapHtml },
      ...r.tables.map(partition)
    ]
  })
}
