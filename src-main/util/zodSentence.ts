// Zod's findings as the sentences a researcher reads: the dotted key first, then what it takes,
// then (when the input is given) what it holds instead. One place for the settings, the user's
// settings.json and the lake's lakebook.config.json ("gates", "alerts").
import type { z } from 'zod'

type Issue = z.core.$ZodIssue

function what(i: Issue): string {
  switch (i.code) {
    case 'unrecognized_keys':
      return ''
    case 'too_big':
      return `must be at most ${String(i.maximum)}`
    case 'too_small':
      return `must be at least ${String(i.minimum)}`
    case 'invalid_type':
      return `must be ${i.expected === 'object' ? 'a group of settings' : `a ${i.expected}`}`
    case 'invalid_format':
      return i.format === 'url' ? 'must be an http:// or https:// URL' : `must be a ${i.format}`
    case 'invalid_value':
      return `must be one of ${i.values.map(String).join(', ')}`
    default:
      return i.message
  }
}

/** A JSON value in words: the text "ten", the number 5, true, a list, a group of settings. */
export function valueInWords(v: unknown): string {
  if (typeof v === 'string')
    return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`
  if (typeof v === 'number') return `the number ${String(v)}`
  if (typeof v === 'boolean' || v === null) return String(v)
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a group of settings'
  return 'nothing'
}

/** The value at a zod path inside an input, or undefined. */
function at(input: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let v = input
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !(String(k) in v))
      return { found: false, value: undefined }
    v = (v as Record<string, unknown>)[String(k)]
  }
  return { found: true, value: v }
}

/**
 * The first issue as a sentence: "alerts.gapsPerHour must be at least 0". With `input` (the value
 * that was parsed) a wrong type also says what is there: "alerts.diskFreeMinGb must be a number
 * (it is the text "ten")".
 */
export function zodSentence(error: z.ZodError, prefix: string, input?: unknown): string {
  const i = error.issues[0]
  if (!i) return 'is not valid'
  const key = [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.')
  if (i.code === 'unrecognized_keys') {
    const keys = i.keys.map((k) => (key === '' ? k : `${key}.${k}`)).join(', ')
    return `there is no setting ${keys}; remove it (\`lakebook config list\` shows every key)`
  }
  const found = input === undefined ? { found: false, value: undefined } : at(input, i.path)
  const is =
    found.found && (i.code === 'invalid_type' || i.code === 'invalid_value')
      ? ` (it is ${valueInWords(found.value)})`
      : ''
  return `${key === '' ? 'the settings' : key} ${what(i)}${is}`
}
