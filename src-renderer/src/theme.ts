// The app's theme: data-theme="dark" | "light" on <html>, which switches every colour variable of
// styles.css. "system" follows the OS (prefers-color-scheme) and keeps following it. The choice
// is the `theme` setting (main's settings file, shared with `lakebook config`); the last one
// applied is also kept in localStorage so the next start paints in it before main answers.
import { create } from 'zustand'
import type { Theme } from '../../src-shared/settings'

export type AppliedTheme = 'dark' | 'light'

const CACHE = 'lakebook.theme'

export const useTheme = create<{ readonly applied: AppliedTheme }>()(() => ({
  applied: 'light'
}))

const dark = (): MediaQueryList | null =>
  typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null

let chosen: Theme = 'system'

function resolveTheme(t: Theme): AppliedTheme {
  if (t !== 'system') return t
  return dark()?.matches === true ? 'dark' : 'light'
}

export function applyTheme(t: Theme): void {
  chosen = t
  const applied = resolveTheme(t)
  document.documentElement.dataset['theme'] = applied
  try {
    localStorage.setItem(CACHE, t)
  } catch {
    // Storage may be unavailable (a private window): the setting still applies from main.
  }
  if (useTheme.getState().applied !== applied) useTheme.setState({ applied })
}

function cached(): Theme {
  try {
    const v = localStorage.getItem(CACHE)
    return v === 'dark' || v === 'light' ? v : 'system'
  } catch {
    return 'system'
  }
}

/** Paints in the last theme at once and follows the OS while the choice is "system". */
export function startTheme(): void {
  applyTheme(cached())
  dark()?.addEventListener('change', () => {
    if (chosen === 'system') applyTheme('system')
  })
}

/**
 * A colour variable of the theme in force (for canvases, which cannot use CSS variables). `_for`
 * names the theme a memoised caller depends on, so its hook recomputes when the theme changes.
 */
export function themeColor(name: string, fallback: string, _for?: AppliedTheme): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim()
  return v === '' ? fallback : v
}
