// The Electron shell with `electron` mocked (the binary cannot run on the build machines): the
// window is sandboxed and isolated, every contract channel is bound, requests from other windows,
// sub-frames and foreign pages are refused (and logged), permissions are denied, navigation is
// prevented, and payloads go through main's validation.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { invokeChannels, commandChannels } from '../../../src-shared/ipc/contract'
import { builtWorkerPath } from '../../helpers/build'
import { tempDir } from '../../helpers/synthetic'

interface Frame {
  url: string
  parent: Frame | null
}
interface IpcEvent {
  sender: { id: number }
  senderFrame: Frame | null
}
type Handler = (e: IpcEvent, payload: unknown) => unknown
type PermissionRequest = (
  wc: unknown,
  permission: string,
  callback: (ok: boolean) => void,
  details: { requestingUrl: string }
) => void
type PermissionCheck = (
  wc: unknown,
  permission: string,
  origin: string,
  details: { requestingUrl?: string; isMainFrame?: boolean }
) => boolean

const h = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  listeners: new Map<string, Handler>(),
  windows: [] as { options: Record<string, unknown>; loaded: string[] }[],
  sent: [] as [string, unknown][],
  userData: '',
  logs: '',
  appOn: new Map<string, () => void>(),
  menu: { template: [] as { label?: string; role?: string }[] },
  opened: [] as string[],
  focused: 0,
  contentsOn: new Map<string, (e: { url?: string; preventDefault: () => void }) => void>(),
  windowOpen: null as ((d: { url: string }) => { action: string }) | null,
  permissionRequest: null as PermissionRequest | null,
  permissionCheck: null as PermissionCheck | null,
  /** What safeStorage.getSelectedStorageBackend answers (Linux only). */
  backend: 'gnome_libsecret'
}))

vi.mock('electron', () => {
  class BrowserWindow {
    readonly webContents = {
      id: 7,
      on: (event: string, fn: (e: { url?: string; preventDefault: () => void }) => void) =>
        h.contentsOn.set(event, fn),
      setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) => {
        h.windowOpen = fn
      },
      send: (channel: string, payload: unknown) => h.sent.push([channel, payload])
    }
    private readonly record: { options: Record<string, unknown>; loaded: string[] }
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [] }
      h.windows.push(this.record)
    }
    on = vi.fn()
    maximize = vi.fn()
    isMaximized = () => false
    isMinimized = () => false
    restore = vi.fn()
    focus() {
      h.focused++
    }
    getNormalBounds() {
      return { x: 10, y: 20, width: 1200, height: 800 }
    }
    loadFile(path: string) {
      this.record.loaded.push(path)
      return Promise.resolve()
    }
    isDestroyed() {
      return false
    }
  }
  return {
    app: {
      name: 'lakebook',
      whenReady: () => Promise.resolve(),
      requestSingleInstanceLock: () => true,
      on: (event: string, fn: () => void) => h.appOn.set(event, fn),
      quit: vi.fn(),
      exit: vi.fn(),
      setAboutPanelOptions: vi.fn(),
      getPath: (name: string) => (name === 'logs' ? h.logs : h.userData),
      getAppPath: () => process.cwd(),
      isPackaged: false
    },
    // The alerts' desktop channel (test/engine/app/notifications.test.ts tests it).
    Notification: { isSupported: () => false },
    Menu: {
      buildFromTemplate: (t: unknown) => ({ template: t }),
      setApplicationMenu: (m: { template: { label?: string; role?: string }[] }) => {
        h.menu = m
      }
    },
    shell: {
      openPath: (p: string) => {
        h.opened.push(p)
        return Promise.resolve('')
      },
      showItemInFolder: vi.fn()
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    // A stand-in for the OS keychain: reversible, and never the plain text.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => h.backend,
      encryptString: (s: string) =>
        Buffer.from(Buffer.from(s).toString('base64').split('').reverse().join('')),
      decryptString: (b: Buffer) =>
        Buffer.from(b.toString().split('').reverse().join(''), 'base64').toString()
    },
    BrowserWindow,
    dialog: {
      showOpenDialog: vi.fn(() => Promise.resolve({ canceled: false, filePaths: ['/picked.gz'] }))
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: (fn: PermissionRequest) => {
          h.permissionRequest = fn
        },
        setPermissionCheckHandler: (fn: PermissionCheck) => {
          h.permissionCheck = fn
        }
      }
    },
    protocol: { handle: vi.fn() },
    ipcMain: {
      handle: (c: string, fn: Handler) => h.handlers.set(c, fn),
      on: (c: string, fn: Handler) => h.listeners.set(c, fn),
      removeHandler: vi.fn(),
      removeAllListeners: vi.fn()
    }
  }
})
vi.mock('../../../src-main/worker/workerPath', () => ({ default: builtWorkerPath() }))

process.env['LAKEBOOK_LAKE'] = tempDir()
h.userData = tempDir()
h.logs = tempDir()
await import('../../../src-main/app/main')
await vi.waitFor(() => {
  expect(h.windows[0]?.loaded.length).toBe(1)
})

afterAll(() => {
  delete process.env['LAKEBOOK_LAKE']
})

/** The page the window loaded, as its top frame reports it. */
const APP_URL = pathToFileURL(h.windows[0]?.loaded[0] ?? '').href
/** A request from our window's top frame showing our page. */
const fromApp: IpcEvent = { sender: { id: 7 }, senderFrame: { url: APP_URL, parent: null } }
const logText = (): string => readFileSync(join(h.logs, 'lakebook.log'), 'utf8')

describe('Electron shell (electron mocked)', () => {
  it('opens a sandboxed, isolated window without Node integration', () => {
    const prefs = h.windows[0]?.options['webPreferences'] as Record<string, unknown>
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false })
    expect(String(prefs['preload'])).toMatch(/preload[/\\]index\.cjs$/)
    expect(h.windows[0]?.loaded[0]).toMatch(/renderer[/\\]index\.html$/)
  })

  it('binds exactly the contract channels', () => {
    expect([...h.handlers.keys()].sort()).toEqual([...invokeChannels].sort())
    expect([...h.listeners.keys()].sort()).toEqual([...commandChannels].sort())
  })

  it('answers our window, validates payloads, and refuses other frames', async () => {
    const invoke = h.handlers.get('app.info')
    const info = (await invoke?.(fromApp, null)) as {
      canPickFiles: boolean
      canOpenFiles: boolean
    }
    expect(info.canPickFiles).toBe(true)
    expect(info.canOpenFiles).toBe(true)
    await expect(
      Promise.resolve(h.handlers.get('jobs.list')?.(fromApp, { limit: -1 }))
    ).rejects.toThrow(/^invalid request for jobs\.list: limit: [^{}[\]\n]+$/)
    expect(() =>
      h.handlers.get('app.info')?.({ sender: { id: 99 }, senderFrame: fromApp.senderFrame }, null)
    ).toThrow(/^refused app\.info: it came from another window$/)
    const picked = await h.handlers.get('files.pick')?.(fromApp, { title: 'x', multi: true })
    expect(picked).toEqual(['/picked.gz'])
  })

  it('keeps Crypto Lake keys encrypted in the keychain file and shows only a masked key id', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    const set = h.handlers.get('credentials.set')
    const st = (await set?.(fromApp, {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: secret
    })) as {
      backend: string
      stored: boolean
      keyId: string
    }
    expect(st).toEqual({ backend: 'keychain', stored: true, keyId: 'AKIA…MPLE', warning: null })
    const file = readFileSync(join(h.userData, 'crypto-lake-keys.bin'), 'utf8')
    expect(file).not.toContain(secret)
    expect(file).not.toContain('AKIAIOSFODNN7EXAMPLE')
    const cleared = (await h.handlers.get('credentials.clear')?.(fromApp, null)) as {
      stored: boolean
    }
    expect(cleared.stored).toBe(false)
    await expect(
      Promise.resolve(set?.(fromApp, { accessKeyId: 'short', secretAccessKey: 'x' }))
    ).rejects.toThrow(/invalid request/)
  })

  it('refuses requests from a foreign page or a sub-frame of our window, and logs them', async () => {
    const foreign: IpcEvent = {
      sender: { id: 7 },
      senderFrame: { url: 'https://example.com/', parent: null }
    }
    const sub: IpcEvent = {
      sender: { id: 7 },
      senderFrame: { url: APP_URL, parent: fromApp.senderFrame }
    }
    // A file:// page of ours that is not the renderer (e.g. an evidence report opened as a file).
    const otherFile: IpcEvent = {
      sender: { id: 7 },
      senderFrame: { url: pathToFileURL(join(h.userData, 'report.html')).href, parent: null }
    }
    const info = h.handlers.get('app.info')
    expect(() => info?.(foreign, null)).toThrow(
      "refused app.info: it came from a page that is not lakebook's (https://example.com/)"
    )
    expect(() => info?.(sub, null)).toThrow(/^refused app\.info: it came from a frame inside/)
    expect(() => info?.(otherFile, null)).toThrow(/not lakebook's \(file:.*report\.html\)$/)
    expect(() => info?.({ sender: { id: 7 }, senderFrame: null }, null)).toThrow(/frame was gone/)
    // Our own page, with a fragment (the renderer's routes), is dispatched.
    const ok = (await info?.(
      { sender: { id: 7 }, senderFrame: { url: `${APP_URL}#/data`, parent: null } },
      null
    )) as { version: string }
    expect(typeof ok.version).toBe('string')
    // Commands: a bad payload from our page reaches the Router (which refuses it); from a
    // foreign page it is dropped before dispatch, and logged.
    const cancel = h.listeners.get('jobs.cancel')
    expect(() => cancel?.(fromApp, { bogus: 1 })).toThrow(/^invalid command jobs\.cancel/)
    expect(() => cancel?.(foreign, { bogus: 1 })).not.toThrow()
    expect(logText()).toMatch(
      /warn {2}refused jobs\.cancel: it came from a page that is not lakebook's \(https:\/\/example\.com\/\) \(\d+ refused so far\)/
    )
    expect(logText()).toMatch(/refused app\.info: it came from a frame inside the page/)
  })

  it.runIf(process.platform === 'linux')(
    'refuses to store keys without a Linux secret store, and warns about keys only a fixed password protects',
    async () => {
      const set = h.handlers.get('credentials.set')
      const status = h.handlers.get('credentials.status')
      const file = join(h.userData, 'crypto-lake-keys.bin')
      const keys = {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
      }
      try {
        h.backend = 'basic_text'
        await expect(Promise.resolve(set?.(fromApp, keys))).rejects.toThrow(
          /^lakebook will not store keys: Electron found no secret store on this Linux desktop \(safeStorage backend basic_text\), .*install or unlock gnome-keyring or KWallet .*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY .*`lakebook download`.*\.$/
        )
        expect(existsSync(file)).toBe(false)
        // The Data page and the doctor see why before anyone tries.
        expect(await status?.(fromApp, null)).toMatchObject({
          stored: false,
          warning: expect.stringMatching(/^lakebook will not store keys: .*basic_text/) as unknown
        })
        h.backend = 'unknown'
        await expect(Promise.resolve(set?.(fromApp, keys))).rejects.toThrow(
          /could not tell which secret store .*\(safeStorage backend unknown\)/
        )
        expect(existsSync(file)).toBe(false)
        // Keys stored while a keyring answered, read where none does (or kept by an older lakebook).
        h.backend = 'gnome_libsecret'
        await set?.(fromApp, keys)
        h.backend = 'basic_text'
        const st = (await status?.(fromApp, null)) as { stored: boolean; warning: string | null }
        expect(st.stored).toBe(true)
        expect(st.warning).toMatch(
          /^the stored keys in .*crypto-lake-keys\.bin are not protected: .*basic_text.*; Forget them, then install or unlock gnome-keyring/
        )
        await status?.(fromApp, null)
        // Logged once per start, not on every poll; the key itself never.
        const lines = logText()
          .split('\n')
          .filter((l) => l.includes('are not protected'))
        expect(lines).toHaveLength(1)
        expect(lines[0]).toMatch(/^\S+ warn {2}the stored keys/)
        expect(logText()).not.toContain(keys.secretAccessKey)
      } finally {
        h.backend = 'gnome_libsecret'
        await h.handlers.get('credentials.clear')?.(fromApp, null)
      }
    }
  )

  it('denies every permission but desktop notifications for our own page', () => {
    const asked = (permission: string, url: string): boolean | undefined => {
      let answer: boolean | undefined
      h.permissionRequest?.(null, permission, (ok) => (answer = ok), { requestingUrl: url })
      return answer
    }
    expect(asked('media', APP_URL)).toBe(false)
    expect(asked('geolocation', APP_URL)).toBe(false)
    expect(asked('clipboard-read', APP_URL)).toBe(false)
    expect(asked('notifications', 'https://example.com/')).toBe(false)
    expect(asked('notifications', APP_URL)).toBe(true)
    expect(logText()).toContain('refused the permission "media" to file:')
    expect(logText()).toContain('refused the permission "notifications" to https://example.com/')
    const check = (permission: string, url: string | undefined): boolean | undefined =>
      h.permissionCheck?.(
        null,
        permission,
        'file://',
        url === undefined ? {} : { requestingUrl: url }
      )
    expect(check('notifications', APP_URL)).toBe(true)
    expect(check('media', APP_URL)).toBe(false)
    expect(check('notifications', 'https://example.com/')).toBe(false)
    expect(check('notifications', undefined)).toBe(false)
    // Without a requesting URL the window's URL answers for its top frame only.
    const ours = { getURL: () => APP_URL }
    expect(h.permissionCheck?.(ours, 'notifications', 'file://', { isMainFrame: true })).toBe(true)
    expect(h.permissionCheck?.(ours, 'notifications', 'file://', { isMainFrame: false })).toBe(
      false
    )
  })

  it('prevents navigation and new windows, and logs where they would have gone', () => {
    const navigate = h.contentsOn.get('will-navigate')
    let prevented = false
    navigate?.({
      url: 'https://example.com/',
      preventDefault: () => {
        prevented = true
      }
    })
    expect(prevented).toBe(true)
    expect(h.windowOpen?.({ url: 'https://example.com/x' })).toEqual({ action: 'deny' })
    let webview = false
    h.contentsOn.get('will-attach-webview')?.({
      preventDefault: () => {
        webview = true
      }
    })
    expect(webview).toBe(true)
    expect(logText()).toContain('refused to navigate the window to https://example.com/')
    expect(logText()).toContain('refused to open a window for https://example.com/x')
  })

  it('keeps one instance: a second start brings the window to the front', () => {
    const before = h.focused
    h.appOn.get('second-instance')?.()
    expect(h.focused).toBe(before + 1)
  })

  it('installs the native menu and writes its start to the platform log folder', () => {
    const template = h.menu.template
    expect(template.map((m) => m.label ?? m.role)).toEqual(
      expect.arrayContaining(['File', 'editMenu', 'viewMenu', 'windowMenu', 'help'])
    )
    const log = readFileSync(join(h.logs, 'lakebook.log'), 'utf8')
    expect(log).toMatch(/info {2}lakebook .* starting .*, lake /)
  })

  it('opens reports and datasets with the system handler, and names a missing file', async () => {
    const open = h.handlers.get('files.open')
    await open?.(fromApp, { path: h.userData })
    expect(h.opened).toEqual([h.userData])
    await expect(
      Promise.resolve(open?.(fromApp, { path: join(h.userData, 'nope.html') }))
    ).rejects.toThrow(/^no such file or folder: .*nope\.html$/)
  })
})
