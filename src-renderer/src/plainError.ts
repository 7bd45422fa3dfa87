// Errors as the researcher reads them: one plain sentence that says what went wrong and what to do,
// never a validation library's JSON or a request's field path. The engine's messages are already
// sentences; only the request-checking ones (and any raw issue list) are translated here.

interface Issue {
  readonly path?: readonly (string | number)[]
  readonly message?: string
}

/** "params.from" → "from", "params.policy.seed" → "policy seed", "index" → "index". */
function fieldName(path: string): string {
  const parts = path.split('.').filter((p) => p !== 'params' && p !== '' && !/^\d+$/.test(p))
  return parts.length > 0 ? parts.join(' ') : 'the request'
}

/** "from: not in the expected format; to: required" → "“from” is not in the expected format; …". */
function issuesSentence(text: string): string {
  return text
    .split('; ')
    .map((part) => {
      const at = part.indexOf(': ')
      if (at < 0) return part
      const field = fieldName(part.slice(0, at))
      const msg = part
        .slice(at + 2)
        .replace(/^(Invalid input|Too small|Too big): /, '')
        .replace(/^Invalid string: must match pattern .*$/, 'not in the expected format')
        .replace(/^expected string to have >=1 characters?$/, 'is empty')
        .replace(/^expected \w+ to have >=(\d+) (\w+)$/, 'should have at least $1 $2')
        .replace(/^expected \w+ to have <=(\d+) (\w+)$/, 'should have at most $1 $2')
        .replace(/^expected \w+ to be >=(\S+)$/, 'should be at least $1')
        .replace(/^expected \w+ to be <=(\S+)$/, 'should be at most $1')
        .replace(/^expected (\w+), received (\w+)$/, 'should be a $1, not a $2')
        .replace(/^required$/, 'is missing')
      const verb = /^(is|should|must|has|was|cannot|not) /.test(msg) ? ' ' : ': '
      const body = msg.startsWith('not ') ? `is ${msg}` : msg
      return field === 'the request' ? body : `“${field}”${verb}${body}`
    })
    .join('; ')
}

/** A raw issue list (JSON text of [{path, message}, …]), or null when the text is not one. */
function rawIssues(text: string): string | null {
  const t = text.trim()
  if (!t.startsWith('[') && !t.startsWith('{')) return null
  try {
    const v = JSON.parse(t) as unknown
    const list = (Array.isArray(v) ? v : [v]) as Issue[]
    if (list.length === 0 || !list.every((i) => typeof i.message === 'string')) return null
    return list.map((i) => `${(i.path ?? []).map(String).join('.')}: ${i.message ?? ''}`).join('; ')
  } catch {
    return null
  }
}

const sentence = (s: string): string => {
  const t = s.trim()
  const first = t.charAt(0).toUpperCase() + t.slice(1)
  return /[.!?)]$/.test(first) ? first : `${first}.`
}

export function plainError(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e)
  // Electron prefixes errors that cross IPC; the browser host does not.
  const text = raw.replace(/^Error invoking remote method '[^']+': (Error: )?/, '')
  const issues = rawIssues(text)
  if (issues !== null)
    return sentence(
      `Some values were not accepted: ${issuesSentence(issues)}. Correct them and try again`
    )
  let m = /^invalid (\S+) job: (.*)$/s.exec(text)
  if (m)
    return sentence(
      `The ${m[1] ?? ''} job was not started: ${issuesSentence(m[2] ?? '')}. Correct it and start again`
    )
  m = /^invalid (?:request for|command) (\S+): (.*)$/s.exec(text)
  if (m)
    return sentence(
      `The page asked the engine for something it could not read (${issuesSentence(m[2] ?? '')}). Reload the page; if it happens again, the page and the engine are of different versions: restart the app`
    )
  m = /^no timeline recorded for job (\S+)$/.exec(text)
  if (m)
    return `Job ${m[1] ?? ''} kept no book timeline (it ran without one, or its folder was removed from the lake): replay its source again to look at its book.`
  return sentence(text)
}
