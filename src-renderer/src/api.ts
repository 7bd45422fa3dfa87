// The renderer's only way out: window.api, typed from the preload (never hand-written here).
import type { Api } from '../../src-preload/api'

declare global {
  interface Window {
    readonly api: Api
  }
}

export const api: Api = window.api
