// The themes cover the whole app: every colour of the chrome in styles.css is a variable that both
// themes define, so no page can be legible in one theme and not in the other. The few literal
// colours left are data (coverage and regime cells, the heatmap legend) or the evidence viewer,
// which shows its own light HTML page.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'

const css = readFileSync(join(ROOT, 'src-renderer/src/styles.css'), 'utf8')

function block(selector: string): string {
  const start = css.indexOf(`${selector} {`)
  if (start < 0) throw new Error(`no ${selector} block in styles.css`)
  return css.slice(start, css.indexOf('}', start))
}

const names = (text: string): Set<string> =>
  new Set([...text.matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1] ?? ''))

describe('themes', () => {
  const light = names(block(':root'))
  const dark = names(block(":root[data-theme='dark']"))

  it('both themes define the same variables', () => {
    expect([...dark].sort()).toEqual([...light].sort())
    expect(light.size).toBeGreaterThan(20)
  })

  it('every variable the styles use is defined by the themes', () => {
    const used = new Set([...css.matchAll(/var\((--[\w-]+)/g)].map((m) => m[1] ?? ''))
    expect([...used].filter((v) => !light.has(v))).toEqual([])
  })

  it('no chrome colour is a literal outside the theme blocks', () => {
    const rest = css.replace(block(':root'), '').replace(block(":root[data-theme='dark']"), '')
    const literals = new Set([...rest.matchAll(/#[0-9a-fA-F]{3,8}\b/g)].map((m) => m[0]))
    // Data colours and the evidence viewer's white page.
    expect([...literals].sort()).toEqual(['#1e2228', '#3e424a', '#9fb3c8', '#e3a21a', '#fff'])
  })
})
