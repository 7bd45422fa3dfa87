import { describe, expect, it } from 'vitest'
import { esc, renderReport, table, verdict } from '../../../src-main/html/html'
import { barChart, histogramChart, lineChart } from '../../../src-main/html/svg'

describe('HTML reports', () => {
  it('escapes data and is self-contained (no script, no external resource)', () => {
    const html = renderReport({
      title: 'T <x>',
      provenance: [['command', 'lakebook "x"']],
      sections: [
        {
          heading: 'S',
          html: table(
            ['a', 'b'],
            [
              ['<b>', 1234.5],
              [verdict(false), null]
            ]
          )
        }
      ]
    })
    expect(html).toContain('T &#60;x&#62;')
    expect(html).toContain('&#60;b&#62;')
    expect(html).toContain('1,234.5')
    expect(html).toContain('class="fail"')
    expect(html).not.toMatch(/<script|src=|href=/)
    expect(esc(`'"&`)).toBe('&#39;&#34;&#38;')
  })

  it('draws charts as inline SVG, skipping non-finite points', () => {
    const svg = lineChart([{ label: 'a', x: [1, 2, 3], y: [1, NaN, 3] }], {
      title: 'c',
      markers: [{ x: 2, label: 'D' }]
    })
    expect(svg).toMatch(/^<figure><svg/)
    expect(svg).toContain('<path d="M')
    expect(svg.match(/L/g)?.length ?? 0).toBeGreaterThan(0)
    expect(lineChart([{ label: 'a', x: [], y: [] }], { title: 'empty' })).toContain('no data')
    expect(histogramChart([0, 1, 2], [{ label: 'h', counts: [3, 4] }], { title: 'h' })).toContain(
      '<path'
    )
    expect(barChart([{ label: 'r', value: 2 }], { title: 'b' })).toContain('<rect')
  })
})
