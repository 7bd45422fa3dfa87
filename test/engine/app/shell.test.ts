// The Electron shell with `electron` mocked (the binary cannot run on the build machines): the
// window is sandboxed and isolated, every contract channel is bound, requests from other frames are
// refused, and payloads go through main's validation.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { invokeChannels, commandChannels } from '../../../src-shared/ipc/contract'
import { builtWorkerPath } from '../../helpers/build'
import { tempDir } from '../../helpers/synthetic'

type Handler = (e: { sender: { id: number } }, payload: unknown) => unknown

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
  focused: 0
}))

vi.mock('electron', () => {
  class BrowserWindow {
    readonly webContents = {
      id: 7,
      on: vi.fn(),
      setWindowOpenHandler: vi.fn(),
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
      getPath: (name: string) => (name === 'logs' ? h.logs : h.userData)
    },
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
      encryptString: (s: string) =>
        Buffer.from(Buffer.from(s).toString('base64').split('').reverse().join('')),
      decryptString: (b: Buffer) =>
        Buffer.from(b.toString().split('').reverse().join(''), 'base64').toString()
    },
    BrowserWindow,
    dialog: {
      showOpenDialog: vi.fn(() => Promise.resolve({ canceled: false, filePaths: ['/picked.gz'] }))
    },
    session: { defaultSession: { webRequest: { onHeadersReceived: vi.fn() } } },
    protocol: { handle: vi.fn() },
    ipcMain: {
      handle: (c: string, fn: Handler) => h.handlers.set(c, fn),
      on: (c: string, fn: Handler) => h.listeners.set(c, fn),
      removeHandler: vi.fn(),
      removeAllListeners: vi.fn()
    }
  }
})
vi.mock('../../../src-main/jobs/workerPath', () => ({ default: builtWorkerPath() }))

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
    const info = (await invoke?.({ sender: { id: 7 } }, null)) as {
      canPickFiles: boolean
      canOpenFiles: boolean
    }
    expect(info.canPickFiles).toBe(true)
    expect(info.canOpenFiles).toBe(true)
    await expect(
      Promise.resolve(h.handlers.get('jobs.list')?.({ sender: { id: 7 } }, { limit: -1 }))
    ).rejects.toThrow(/^invalid request for jobs\.list: limit: [^{}[\]\n]+$/)
    expect(() => h.handlers.get('app.info')?.({ sender: { id: 99 } }, null)).toThrow(
      /unknown frame/
    )
    const picked = await h.handlers.get('files.pick')?.(
      { sender: { id: 7 } },
      { title: 'x', multi: true }
    )
    expect(picked).toEqual(['/picked.gz'])
  })

  it('keeps Crypto Lake keys encrypted in the keychain file and shows only a masked key id', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    const set = h.handlers.get('credentials.set')
    const st = (await set?.(
      { sender: { id: 7 } },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: secret }
    )) as {
      backend: string
      stored: boolean
      keyId: string
    }
    expect(st).toEqual({ backend: 'keychain', stored: true, keyId: 'AKIA…MPLE' })
    const file = readFileSync(join(h.userData, 'crypto-lake-keys.bin'), 'utf8')
    expect(file).not.toContain(secret)
    expect(file).not.toContain('AKIAIOSFODNN7EXAMPLE')
    const cleared = (await h.handlers.get('credentials.clear')?.({ sender: { id: 7 } }, null)) as {
      stored: boolean
    }
    expect(cleared.stored).toBe(false)
    await expect(
      Promise.resolve(set?.({ sender: { id: 7 } }, { accessKeyId: 'short', secretAccessKey: 'x' }))
    ).rejects.toThrow(/invalid request/)
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
    await open?.({ sender: { id: 7 } }, { path: h.userData })
    expect(h.opened).toEqual([h.userData])
    await expect(
      Promise.resolve(open?.({ sender: { id: 7 } }, { path: join(h.userData, 'nope.html') }))
    ).rejects.toThrow(/^no such file or folder: .*nope\.html$/)
  })
})
