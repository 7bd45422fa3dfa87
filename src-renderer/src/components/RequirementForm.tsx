// The data requirement (what the research needs) and its budget, with the approval a budget gate
// waits for. Saving and approving go through the same service as `lakebook gates require` and
// `gates approve-budget`.
import { useEffect, useState } from 'react'
import type { DataRequirement, RequirementView } from '../../../src-shared/gates'
import { fmtBytes, fmtInt } from '../../../src-shared/format'
import { api } from '../api'
import { CheckboxList } from './CheckboxList'
import { plainError } from '../plainError'

const TABLES: readonly DataRequirement['tables'][number][] = ['book_delta_v2', 'trades', 'book']
const message = (e: unknown): string => plainError(e)

export function RequirementForm({ onChanged }: { readonly onChanged: () => void }) {
  const [exchange, setExchange] = useState('BINANCE')
  const [symbols, setSymbols] = useState('BTC-USDT')
  const [tables, setTables] = useState<readonly DataRequirement['tables'][number][]>(TABLES)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [saved, setSaved] = useState<RequirementView | null>(null)
  const [why, setWhy] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [approved, setApproved] = useState<string | null>(null)

  useEffect(() => {
    void api.invoke('gates.requirement', null).then((r) => {
      if (r === null) return
      setSaved(r)
      setExchange(r.requirement.exchange)
      setSymbols(r.requirement.symbols.join(', '))
      setTables(r.requirement.tables)
      setFrom(r.requirement.from)
      setTo(r.requirement.to)
    })
  }, [])

  const save = (): void => {
    setError(null)
    setApproved(null)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) {
      setError('give the first and last day as YYYY-MM-DD')
      return
    }
    const req: DataRequirement = {
      exchange: exchange.trim(),
      symbols: symbols
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
      tables: [...tables],
      from,
      to
    }
    api.invoke('gates.require', req).then(
      (r) => {
        setSaved(r)
        onChanged()
      },
      (e: unknown) => {
        setError(message(e))
      }
    )
  }
  const approve = (): void => {
    setError(null)
    api.invoke('gates.decide', { gate: 'budget', why }).then(
      (d) => {
        setApproved(`budget approved by ${d.who} at ${d.at.replace('T', ' ').slice(0, 19)} UTC`)
        setWhy('')
        onChanged()
      },
      (e: unknown) => {
        setError(message(e))
      }
    )
  }
  const b = saved?.budget
  return (
    <section className="panel" data-testid="gates-requirement">
      <h3>Data requirement and budget</h3>
      <div className="row">
        <label>
          exchange{' '}
          <input
            size={10}
            data-testid="req-exchange"
            value={exchange}
            onChange={(e) => {
              setExchange(e.target.value)
            }}
          />
        </label>
        <label>
          symbols{' '}
          <input
            size={18}
            data-testid="req-symbols"
            value={symbols}
            onChange={(e) => {
              setSymbols(e.target.value)
            }}
          />
        </label>
        <CheckboxList options={TABLES} value={tables} onChange={setTables} />
        <label>
          from{' '}
          <input
            size={10}
            placeholder="YYYY-MM-DD"
            data-testid="req-from"
            value={from}
            onChange={(e) => {
              setFrom(e.target.value)
            }}
          />
        </label>
        <label>
          to{' '}
          <input
            size={10}
            placeholder="YYYY-MM-DD"
            data-testid="req-to"
            value={to}
            onChange={(e) => {
              setTo(e.target.value)
            }}
          />
        </label>
        <button className="primary" data-testid="req-save" onClick={save}>
          Save requirement
        </button>
      </div>
      {saved && b && (
        <div data-testid="req-budget">
          <div>
            {saved.requirement.exchange} {saved.requirement.symbols.join(', ')} ·{' '}
            {saved.requirement.tables.join(', ')} · {saved.requirement.from} →{' '}
            {saved.requirement.to}: <b>{fmtInt(b.days)} days</b>, <b>{fmtBytes(b.bytes)}</b>,{' '}
            <b>
              {b.monthsNeeded} month{b.monthsNeeded === 1 ? '' : 's'}
            </b>{' '}
            of quota ({fmtBytes(b.quotaBytesPerMonth)} a month), <b>${fmtInt(b.costUsd)}</b> at $
            {fmtInt(b.pricePerMonthUsd)} a month
          </div>
          <div className="muted">day sizes: {b.basis}</div>
          <div className="row">
            <input
              className="grow"
              placeholder="why this budget is approved (a sentence)"
              data-testid="req-why"
              value={why}
              onChange={(e) => {
                setWhy(e.target.value)
              }}
            />
            <button data-testid="req-approve" onClick={approve}>
              Approve budget
            </button>
          </div>
          {approved && (
            <div className="state-done" data-testid="req-approved">
              {approved}
            </div>
          )}
        </div>
      )}
      {error && (
        <div className="error" data-testid="req-error">
          {error}
        </div>
      )}
    </section>
  )
}
