// A validation's findings that carry a time (rule examples with a receive time, writer restarts),
// each with a link into the Book at that moment (BookLink: an existing replay, or a short replay
// of the lake around it).
import { useEffect, useState } from 'react'
import { fmtTime } from '../../../src-shared/format'
import type { FileReport } from '../../../src-shared/validate'
import { api } from '../api'
import { BookLink } from './BookLink'

const MAX_SHOWN = 12

interface Finding {
  readonly key: string
  readonly atMs: number
  readonly text: string
}

function findingsOf(files: readonly FileReport[]): Finding[] {
  const out: Finding[] = []
  for (const f of files) {
    for (const r of f.rules) {
      if (r.status !== 'warn' && r.status !== 'fail') continue
      for (const e of r.examples)
        if (e.receiveUs !== undefined)
          out.push({
            key: `${f.path}:${r.rule}:${String(e.row)}`,
            atMs: e.receiveUs / 1000,
            text: `${r.status} ${r.rule} in ${f.filename} row ${String(e.row)}: ${e.message}`
          })
    }
    for (const s of f.restarts ?? [])
      out.push({
        key: `${f.path}:restart:${String(s.row)}`,
        atMs: Date.parse(s.at),
        text: `writer restart in ${f.filename} row ${String(s.row)}: ${s.evidence}`
      })
  }
  return out.filter((x) => Number.isFinite(x.atMs)).sort((a, b) => a.atMs - b.atMs)
}

export function Findings({
  files,
  exchange,
  symbol
}: {
  readonly files: readonly FileReport[]
  readonly exchange: string
  readonly symbol: string
}) {
  const [root, setRoot] = useState<string | null>(null)
  useEffect(() => {
    void api.invoke('app.info', null).then((i) => {
      setRoot(i.lakeRoot)
    })
  }, [])
  const all = findingsOf(files)
  if (all.length === 0) return null
  return (
    <div data-testid="findings">
      <h4>Findings with a time ({all.length})</h4>
      <ul className="findings">
        {all.slice(0, MAX_SHOWN).map((x) => (
          <li key={x.key}>
            <span className="mono">{fmtTime(x.atMs)}</span> {x.text}{' '}
            <BookLink atMs={x.atMs} lake={root === null ? undefined : { root, exchange, symbol }} />
          </li>
        ))}
      </ul>
      {all.length > MAX_SHOWN && (
        <div className="muted">
          {all.length - MAX_SHOWN} more in the validation report (the first {MAX_SHOWN} shown)
        </div>
      )}
    </div>
  )
}
