// Typed-in text to a setting's value, by its kind, with a sentence when it is not one; and the
// nearest known key for a mistyped one.
import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { SettingValue } from '../../src-shared/settings'
import { InputError } from '../util/errors'
import type { SettingEntry } from './registry'

const TRUE = new Set(['true', 'on', 'yes', '1'])
const FALSE = new Set(['false', 'off', 'no', '0'])
const NONE = new Set(['none', 'null', ''])

function numberOf(e: SettingEntry, t: string): number {
  const n = t === '' ? Number.NaN : Number(t)
  if (!Number.isFinite(n)) throw new InputError(`${e.key} takes a number, not "${t.slice(0, 40)}"`)
  if (e.kind === 'integer' && !Number.isInteger(n))
    throw new InputError(`${e.key} takes a whole number, not ${t.slice(0, 40)}`)
  return n
}

export function parseSettingText(e: SettingEntry, text: string): SettingValue {
  const t = text.trim()
  switch (e.kind) {
    case 'number':
    case 'integer':
      return numberOf(e, t)
    case 'number-or-none':
      return NONE.has(t.toLowerCase()) ? null : numberOf(e, t)
    case 'boolean': {
      const l = t.toLowerCase()
      if (TRUE.has(l)) return true
      if (FALSE.has(l)) return false
      throw new InputError(`${e.key} takes true or false (on/off), not "${t.slice(0, 40)}"`)
    }
    case 'choice':
      if (!(e.choices ?? []).includes(t))
        throw new InputError(
          `${e.key} takes one of ${(e.choices ?? []).join(', ')}, not "${t.slice(0, 40)}"`
        )
      return t
    case 'url':
      return NONE.has(t.toLowerCase()) ? null : t
    case 'path': {
      if (t === '') throw new InputError(`${e.key} takes a folder, not an empty text`)
      // A relative folder means the one where the command was typed.
      const abs = resolve(t)
      if (existsSync(abs) && !statSync(abs).isDirectory())
        throw new InputError(`${e.key} takes a folder; ${abs} is a file`)
      return abs
    }
    case 'text':
      return t
    case 'secret':
      throw new InputError(`${e.key} is never typed in here`)
  }
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] ?? 0
    d[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j] ?? 0
      d[j] = Math.min(cur + 1, (d[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = cur
    }
  }
  return d[b.length] ?? 0
}

function commonPrefix(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/** The known key nearest to a mistyped one, when it is near enough to be a likely meaning. */
export function closestKey(key: string, keys: readonly string[]): string | null {
  const k = key.toLowerCase()
  // A long shared beginning first (alerts.driftMs → alerts.driftMinJaccard) …
  const group = k.indexOf('.') + 1
  let best: string | null = null
  let bestLen = 0
  for (const c of keys) {
    const n = commonPrefix(k, c.toLowerCase())
    if (n > bestLen) {
      bestLen = n
      best = c
    }
  }
  if (best !== null && group > 0 && bestLen >= group + 3) return best
  // … else a few typing mistakes (alerts.gapPerHour → alerts.gapsPerHour).
  best = null
  let bestDist = Number.POSITIVE_INFINITY
  for (const c of keys) {
    const d = distance(k, c.toLowerCase())
    if (d < bestDist) {
      bestDist = d
      best = c
    }
  }
  return bestDist <= Math.max(2, Math.floor(key.length / 5)) ? best : null
}
