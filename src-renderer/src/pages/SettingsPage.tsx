// Settings: every setting `lakebook config` knows, by section, each with its default, whether it is
// overridden, Save and Reset, and the engine's refusal as a sentence under the field. Credentials
// are stored through the host's secret store (the OS keychain in the app) and only ever shown as
// set / not set. The theme applies at once, app-wide.
import { useEffect, useState } from 'react'
import {
  SETTING_SECTIONS,
  type SettingSection,
  type SettingValue,
  type SettingView
} from '../../../src-shared/settings'
import { api } from '../api'
import { plainError } from '../plainError'
import { refreshSettings, resetSetting, saveSetting, useSettings } from '../stores/settings'

const TITLES: Readonly<Record<SettingSection, string>> = {
  lake: 'Lake',
  workers: 'Workers',
  gates: 'Gates',
  alerts: 'Alerts',
  credentials: 'Credentials',
  appearance: 'Appearance'
}

const INTRO: Readonly<Record<SettingSection, string>> = {
  lake: 'Which lake the app, the browser host and the CLI open.',
  workers: 'How much runs at once. A count given with a job (e.g. --workers) still wins.',
  gates: 'The thresholds every gate judges with (validate, certify, replay, technical report).',
  alerts: 'When the alert rules fire, and where alerts go.',
  credentials: 'Crypto Lake keys for downloads and access checks.',
  appearance: 'How the app looks.'
}

export function valueText(v: SettingValue): string {
  return v === null ? 'none' : String(v)
}

/** A path that may wrap after each slash, rather than mid-name. */
function breakable(text: string): React.ReactNode {
  const parts = text.split(/(?<=[/\\])/)
  return parts.length === 1
    ? text
    : parts.map((p, i) => (
        <span key={i}>
          {p}
          <wbr />
        </span>
      ))
}

/** The part of a gate key under gates., grouped by its first segment (validation, replay …). */
function shortKey(s: SettingView): string {
  return s.key.replace(/^(gates|alerts|workers)\./, '')
}

/** The engine's sentence as plainError gives it, with the key as written (not capitalised). */
function fieldError(e: unknown, key: string): string {
  const t = plainError(e)
  return t.toLowerCase().startsWith(key.toLowerCase()) ? key + t.slice(key.length) : t
}

function Field({ s }: { readonly s: SettingView }) {
  const current = valueText(s.value)
  const [draft, setDraft] = useState(current)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const run = (p: () => Promise<unknown>): void => {
    setBusy(true)
    setError(null)
    p().then(
      () => {
        setBusy(false)
      },
      (e: unknown) => {
        setBusy(false)
        setError(fieldError(e, s.key))
      }
    )
  }
  const id = `setting-input-${s.key}`
  const choices =
    s.kind === 'boolean' ? ['true', 'false'] : s.kind === 'choice' ? (s.choices ?? []) : null
  const input =
    choices !== null ? (
      <select
        id={id}
        data-testid={id}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value)
        }}
      >
        {choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    ) : (
      <input
        id={id}
        data-testid={id}
        className={s.kind === 'path' || s.kind === 'url' ? 'setting-wide' : 'setting-input'}
        value={draft}
        spellCheck={false}
        onChange={(e) => {
          setDraft(e.target.value)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && draft !== current) run(() => saveSetting(s.key, draft))
        }}
      />
    )
  return (
    <tr
      data-testid={`setting-${s.key}`}
      className={s.overridden ? 'setting overridden' : 'setting'}
    >
      <td className="setting-name">
        <label htmlFor={id} className="mono">
          {shortKey(s)}
        </label>
        <div className="muted">
          {s.description}
          {s.restart ? ' Applies from the next start of the app.' : ''}
        </div>
        {s.note !== null && <div className="muted setting-note">{s.note}</div>}
        {error !== null && (
          <div className="error" data-testid={`setting-error-${s.key}`}>
            {error}
          </div>
        )}
      </td>
      <td className="setting-value">{input}</td>
      <td className="setting-default">
        <span className="muted">default </span>
        <span className="mono">{breakable(valueText(s.default))}</span>
        <div>
          <span
            className={s.overridden ? 'state state-running' : 'state'}
            data-testid={`setting-state-${s.key}`}
          >
            {s.overridden ? 'overridden' : 'at default'}
          </span>
        </div>
      </td>
      <td className="setting-actions">
        <button
          className="primary"
          data-testid={`setting-save-${s.key}`}
          disabled={busy || draft === current}
          onClick={() => {
            run(() => saveSetting(s.key, draft))
          }}
        >
          Save
        </button>
        <button
          data-testid={`setting-reset-${s.key}`}
          disabled={busy || !s.overridden}
          title={`back to the default, ${valueText(s.default)}`}
          onClick={() => {
            run(() => resetSetting(s.key))
          }}
        >
          Reset
        </button>
      </td>
    </tr>
  )
}

function Credentials({ s }: { readonly s: SettingView }) {
  const [keyId, setKeyId] = useState('')
  const [secret, setSecret] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // Only a host with a keychain can store keys (the browser host uses its environment's).
  const [keychain, setKeychain] = useState(false)
  useEffect(() => {
    api.invoke('credentials.status', null).then(
      (st) => {
        setKeychain(st.backend === 'keychain')
      },
      () => undefined
    )
  }, [])
  const run = (p: () => Promise<unknown>): void => {
    setBusy(true)
    setError(null)
    p()
      .then(() => refreshSettings())
      .then(
        () => {
          setBusy(false)
          setKeyId('')
          setSecret('')
        },
        (e: unknown) => {
          setBusy(false)
          setError(plainError(e))
        }
      )
  }
  return (
    <div data-testid="setting-credentials">
      <div className="row">
        <span
          className={s.value === 'set' ? 'state state-done' : 'state state-warn'}
          data-testid="credentials-state"
        >
          {s.value === 'set' ? 'set' : 'not set'}
        </span>
        <span className="muted">{s.note}</span>
      </div>
      {keychain && (
        <div className="row credentials-form">
          <input
            aria-label="access key id"
            placeholder="access key id"
            autoComplete="off"
            spellCheck={false}
            value={keyId}
            onChange={(e) => {
              setKeyId(e.target.value)
            }}
          />
          <input
            aria-label="secret access key"
            placeholder="secret access key"
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(e) => {
              setSecret(e.target.value)
            }}
          />
          <button
            className="primary"
            disabled={busy || keyId === '' || secret === ''}
            onClick={() => {
              run(() =>
                api.invoke('credentials.set', {
                  accessKeyId: keyId.trim(),
                  secretAccessKey: secret
                })
              )
            }}
          >
            Save keys
          </button>
          <button
            disabled={busy}
            onClick={() => {
              run(() => api.invoke('credentials.clear', null))
            }}
          >
            Forget stored keys
          </button>
        </div>
      )}
      {error !== null && (
        <div className="error" data-testid="credentials-error">
          {error}
        </div>
      )}
    </div>
  )
}

/** Gate keys under a sub-heading per gate (validation, technical, replay, fidelity, plan). */
function rowsOf(section: SettingSection, list: readonly SettingView[]) {
  const out: React.ReactNode[] = []
  let group = ''
  for (const s of list) {
    const g = section === 'gates' ? (s.key.split('.')[1] ?? '') : ''
    if (g !== group) {
      group = g
      out.push(
        <tr key={`group-${g}`} className="setting-group">
          <td colSpan={4}>{g}</td>
        </tr>
      )
    }
    // Keyed by the value too: a new value in force (saved, reset, changed by the CLI) starts the
    // field's draft afresh.
    out.push(<Field key={`${s.key}=${valueText(s.value)}`} s={s} />)
  }
  return out
}

export function SettingsPage() {
  const view = useSettings((st) => st.view)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    refreshSettings().catch((e: unknown) => {
      setError(plainError(e))
    })
  }, [])
  return (
    <div className="settings">
      <h2>Settings</h2>
      {error !== null && <div className="error">{error}</div>}
      {view && (
        <>
          <div className="muted settings-files" data-testid="settings-files">
            Saved in <span className="mono">{view.userFile}</span> (lake, workers, appearance) and{' '}
            <span className="mono">{view.lakeFile}</span> (gates, alerts).{' '}
            <code>lakebook config</code> reads and changes the same files.
          </div>
          {view.problems.map((p) => (
            <div className="error" key={p} data-testid="settings-problem">
              {p}
            </div>
          ))}
          {SETTING_SECTIONS.map((section) => {
            const list = view.settings.filter((x) => x.section === section)
            return (
              <section className="panel" key={section} data-testid={`settings-${section}`}>
                <h3>{TITLES[section]}</h3>
                <div className="muted setting-intro">{INTRO[section]}</div>
                {section === 'credentials' ? (
                  list[0] && <Credentials s={list[0]} />
                ) : (
                  <table className="settings-table">
                    <colgroup>
                      <col className="col-name" />
                      <col className="col-value" />
                      <col className="col-default" />
                      <col className="col-actions" />
                    </colgroup>
                    <tbody>{rowsOf(section, list)}</tbody>
                  </table>
                )}
              </section>
            )
          })}
        </>
      )}
    </div>
  )
}
