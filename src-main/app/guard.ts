// The shell's guards around the renderer: which page counts as lakebook's own (the built
// renderer's index.html over file://; the app loads nothing else, no dev server), which IPC
// senders may reach the Router, which browser permissions a page gets (desktop notifications for
// our page, nothing else), and that no page navigates or opens a window. Every refusal is logged.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { IpcMainEvent, IpcMainInvokeEvent, Session, WebContents } from 'electron'
import { clipText } from '../util/clip'

export type GuardLog = (message: string) => void

/** URLs in log lines are a sender's choice: kept short. */
const shown = (url: string): string => clipText(url, 300, 200)

/** Whether `url` is the app's own page (`appHtml` over file://; query and fragment ignored). */
export function isAppUrl(url: string, appHtml: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol !== 'file:' || u.host !== '') return false
  u.search = ''
  u.hash = ''
  return resolve(fileURLToPath(u)) === resolve(appHtml)
}

/**
 * Why an IPC message must not reach the Router, or null when it comes from the top frame of our
 * window showing our page (not another window, not the evidence viewer's frame, not a page the
 * window was somehow led to).
 */
export function senderRefusal(
  e: IpcMainInvokeEvent | IpcMainEvent,
  windowContentsId: number,
  appHtml: string
): string | null {
  if (e.sender.id !== windowContentsId) return 'it came from another window'
  let frame: { url: string; parent: unknown } | null
  try {
    // A frame disposed meanwhile throws on access; it is refused like a missing one.
    frame = e.senderFrame === null ? null : { url: e.senderFrame.url, parent: e.senderFrame.parent }
  } catch {
    frame = null
  }
  if (frame === null) return 'its frame was gone'
  if (frame.parent !== null) return `it came from a frame inside the page (${shown(frame.url)})`
  if (!isAppUrl(frame.url, appHtml))
    return `it came from a page that is not lakebook's (${shown(frame.url)})`
  return null
}

/**
 * Browser permissions: our page may show desktop notifications (job alerts); every other
 * permission, and every request from another page or frame, is denied.
 */
export function installPermissionPolicy(ses: Session, appHtml: string, log: GuardLog): void {
  const allowed = (permission: string, url: string | undefined): boolean =>
    permission === 'notifications' && url !== undefined && isAppUrl(url, appHtml)
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const ok = allowed(permission, details.requestingUrl)
    if (!ok) log(`refused the permission "${permission}" to ${shown(details.requestingUrl)}`)
    callback(ok)
  })
  // Checks (e.g. Notification.permission) are frequent and answer a question, so not logged.
  // Without a requesting URL, the window's own URL stands in only for its top frame.
  ses.setPermissionCheckHandler((wc, permission, _origin, details) =>
    allowed(permission, details.requestingUrl ?? (details.isMainFrame ? wc?.getURL() : undefined))
  )
}

/** No navigation away from the page, no new windows, no <webview>: the app is one page. */
export function guardNavigation(wc: WebContents, log: GuardLog): void {
  wc.on('will-navigate', (e) => {
    e.preventDefault()
    log(`refused to navigate the window to ${shown(e.url)}`)
  })
  wc.on('will-attach-webview', (e) => {
    e.preventDefault()
    log('refused to attach a <webview>')
  })
  wc.setWindowOpenHandler(({ url }) => {
    log(`refused to open a window for ${shown(url)}`)
    return { action: 'deny' }
  })
}
