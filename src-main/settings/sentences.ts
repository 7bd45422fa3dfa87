// Zod's findings as the sentences a researcher reads: the dotted key first, then what it takes.
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

/** The first issue as a sentence: "alerts.gapsPerHour must be at least 0." */
export function zodSentence(error: z.ZodError, prefix: string): string {
  const i = error.issues[0]
  if (!i) return 'is not valid'
  const at = [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.')
  if (i.code === 'unrecognized_keys') {
    const keys = i.keys.map((k) => (at === '' ? k : `${at}.${k}`)).join(', ')
    return `there is no setting ${keys}; remove it (\`lakebook config list\` shows every key)`
  }
  return `${at === '' ? 'the settings' : at} ${what(i)}`
}
