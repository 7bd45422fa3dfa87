// The thresholds in force (defaults merged with the lake's lakebook.config.json), one line each.
import type { TrustConfig } from '../../../src-shared/gates'

type Cell = readonly [string, string]

function cells(prefix: string, v: unknown): Cell[] {
  if (v === null) return [[prefix, 'never']]
  if (typeof v === 'boolean') return [[prefix, v ? 'yes' : 'no']]
  if (typeof v === 'number') return [[prefix, v.toLocaleString('en-US')]]
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) =>
      cells(prefix ? `${prefix}.${k}` : k, x)
    )
  return [[prefix, typeof v === 'string' ? v : '']]
}

export function TrustConfigTable({ config }: { readonly config: TrustConfig }) {
  const rows = cells('', config)
  // Two name/value pairs per row keeps the table short.
  const pairs: Cell[][] = []
  for (let i = 0; i < rows.length; i += 2) pairs.push(rows.slice(i, i + 2))
  return (
    <table className="jobs config-table" data-testid="gates-config">
      <tbody>
        {pairs.map((p) => (
          <tr key={p[0]?.[0]}>
            {p.flatMap(([k, v]) => [
              <td key={`${k}-k`} className="mono">
                {k}
              </td>,
              <td key={`${k}-v`}>{v}</td>
            ])}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
