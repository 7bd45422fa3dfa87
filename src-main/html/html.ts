// Self-contained HTML reports (validation, profiling, certificates, fidelity): one file, inline CSS
// and inline SVG charts, no script and no network, so a report opens offline and archives as is.

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export interface ReportSection {
  readonly heading: string
  /** Trusted HTML built with the helpers here (escape any data with esc()). */
  readonly html: string
}

export interface ReportPage {
  readonly title: string
  readonly subtitle?: string | undefined
  /** Shown at the top: what produced the report (command, code version, time). */
  readonly provenance: readonly [string, string][]
  readonly sections: readonly ReportSection[]
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d232a;margin:24px auto;max-width:1100px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d9dee3;padding-bottom:4px}
.sub{color:#6a737d;margin-bottom:12px}table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid #e6e9ec;padding:3px 10px;text-align:left;vertical-align:top}th{font-weight:600;background:#f4f6f8}
td.num{text-align:right}.pass{color:#1b7f3b;font-weight:600}.fail{color:#c62828;font-weight:600}.warn{color:#b36b00;font-weight:600}
.prov td{border:none;padding:1px 10px 1px 0;color:#444}.charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}
figcaption{font-size:12px;color:#6a737d}code{font-size:12px;background:#f4f6f8;padding:1px 4px;border-radius:3px}`

export function renderReport(page: ReportPage): string {
  const prov = page.provenance
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`)
    .join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(page.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>${CSS}</style></head><body>
<h1>${esc(page.title)}</h1>${page.subtitle ? `<div class="sub">${esc(page.subtitle)}</div>` : ''}
<table class="prov">${prov}</table>
${page.sections.map((s) => `<h2>${esc(s.heading)}</h2>\n${s.html}`).join('\n')}
</body></html>
`
}

export type Cell = string | number | { readonly html: string } | null

/** A table from rows of cells: numbers right-aligned, strings escaped, {html} passed through. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cell = (c: Cell): string => {
    if (c === null) return '<td></td>'
    if (typeof c === 'number') return `<td class="num">${esc(formatNumber(c))}</td>`
    if (typeof c === 'string') return `<td>${esc(c)}</td>`
    return `<td>${c.html}</td>`
  }
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table>`
}

export function verdict(ok: boolean | null, text?: string): { html: string } {
  if (ok === null) return { html: `<span class="warn">${esc(text ?? 'n/a')}</span>` }
  return {
    html: `<span class="${ok ? 'pass' : 'fail'}">${esc(text ?? (ok ? 'pass' : 'fail'))}</span>`
  }
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (Number.isInteger(v)) return v.toLocaleString('en-US')
  const a = Math.abs(v)
  if (a !== 0 && (a < 1e-3 || a >= 1e9)) return v.toExponential(3)
  return v.toLocaleString('en-US', { maximumSignificantDigits: 6 })
}
