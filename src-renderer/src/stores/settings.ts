// The settings as main reports them (settings.get), refreshed after every change from the Settings
// page. The theme and the desktop-notification switch apply from here, app-wide.
import { create } from 'zustand'
import type { SettingsView, SettingValue } from '../../../src-shared/settings'
import { api } from '../api'
import { applyTheme } from '../theme'

export const useSettings = create<{ readonly view: SettingsView | null }>()(() => ({
  view: null
}))

function valueOf(view: SettingsView, key: string): SettingValue | undefined {
  return view.settings.find((s) => s.key === key)?.value
}

function adopt(view: SettingsView): SettingsView {
  useSettings.setState({ view })
  const t = valueOf(view, 'theme')
  if (t === 'dark' || t === 'light' || t === 'system') applyTheme(t)
  return view
}

export function refreshSettings(): Promise<SettingsView> {
  return api.invoke('settings.get', null).then(adopt)
}

export function saveSetting(key: string, value: SettingValue): Promise<SettingsView> {
  return api.invoke('settings.set', { key, value }).then(adopt)
}

export function resetSetting(key: string): Promise<SettingsView> {
  return api.invoke('settings.reset', { key }).then(adopt)
}
