// The Settings page's channels: the same settings module as `lakebook config` (settings/store.ts),
// so the page and the CLI read and write the same files. Credentials appear only as set / not set,
// from the host's secret store (the OS keychain in the app, the environment in the browser host).
import { hostCredentials } from '../../settings/credentials'
import { resetSetting, setSetting, settingsView } from '../../settings/store'
import type { InvokeHandlers } from '../router'
import type { SecretStore } from './acquire'

export function settingsHandlers(o: {
  readonly lakeRoot: string
  readonly secrets: SecretStore
}): Pick<InvokeHandlers, 'settings.get' | 'settings.set' | 'settings.reset'> {
  const ctx = async () => ({
    lakeRoot: o.lakeRoot,
    credentials: hostCredentials(await o.secrets.status())
  })
  return {
    'settings.get': async () => settingsView(await ctx()),
    'settings.set': async (req) => {
      const c = await ctx()
      setSetting(c, req.key, req.value)
      return settingsView(c)
    },
    'settings.reset': async (req) => {
      const c = await ctx()
      resetSetting(c, req.key)
      return settingsView(c)
    }
  }
}
