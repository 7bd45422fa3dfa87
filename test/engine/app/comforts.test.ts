// Desktop comforts with `electron` mocked: the remembered window (sane values only, off-screen
// positions dropped), the menu's shortcuts and About box, the log file (rotation, job outcomes).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { JobEvents } from '../../../src-main/jobs/manager'
import { tempDir } from '../../helpers/synthetic'

const h = vi.hoisted(() => ({ revealed: [] as string[], boxes: [] as unknown[] }))

vi.mock('electron', () => ({
  app: { name: 'lakebook', setAboutPanelOptions: vi.fn() },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  shell: {
    showItemInFolder: (p: string) => h.revealed.push(p),
    openPath: (p: string) => {
      h.revealed.push(p)
      return Promise.resolve('')
    }
  },
  dialog: {
    showMessageBox: (box: unknown) => {
      h.boxes.push(box)
      return Promise.resolve({ response: 1 })
    }
  },
  Menu: { buildFromTemplate: vi.fn(), setApplicationMenu: vi.fn() }
}))

const { parseWindowState, loadWindowState, trackWindowState, DEFAULT_WINDOW, windowStateFile } =
  await import('../../../src-main/app/windowState')
const { menuTemplate, aboutDetail } = await import('../../../src-main/app/menu')
const { AppLog } = await import('../../../src-main/app/logs')

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }]

describe('remembered window', () => {
  it('restores a saved size and on-screen position, and drops a position no display shows', () => {
    const saved = JSON.stringify({ x: 100, y: 50, width: 1300, height: 850, maximized: true })
    expect(parseWindowState(saved, screen)).toEqual({
      x: 100,
      y: 50,
      width: 1300,
      height: 850,
      maximized: true
    })
    const offScreen = JSON.stringify({ x: 4000, y: 50, width: 1300, height: 850 })
    expect(parseWindowState(offScreen, screen)).toEqual({
      width: 1300,
      height: 850,
      maximized: false
    })
    expect(parseWindowState('{"width":"big"}', screen)).toEqual(DEFAULT_WINDOW)
    expect(parseWindowState('not json (synthetic)', screen)).toEqual(DEFAULT_WINDOW)
    expect(parseWindowState('{"width":10,"height":10}', screen)).toMatchObject({
      width: 800,
      height: 560
    })
  })

  it('saves the normal bounds on close and reads them back next start', () => {
    const dir = tempDir()
    expect(loadWindowState(dir)).toEqual(DEFAULT_WINDOW)
    const handlers = new Map<string, () => void>()
    const win = {
      on: (e: string, fn: () => void) => handlers.set(e, fn),
      isDestroyed: () => false,
      isMaximized: () => false,
      getNormalBounds: () => ({ x: 200, y: 120, width: 1111, height: 777 })
    }
    trackWindowState(win as never, dir)
    expect([...handlers.keys()].sort()).toEqual(['close', 'move', 'resize'])
    handlers.get('close')?.()
    expect(JSON.parse(readFileSync(windowStateFile(dir), 'utf8'))).toEqual({
      x: 200,
      y: 120,
      width: 1111,
      height: 777,
      maximized: false
    })
    expect(loadWindowState(dir)).toMatchObject({ x: 200, width: 1111 })
  })
})

describe('native menu and About box', () => {
  const log = new AppLog(tempDir())
  const opts = { version: '0.1.0+abc', lakeRoot: '/data/lake', log, window: () => null }

  it('has the usual roles and shortcuts on Linux/Windows, with About under Help', () => {
    const t = menuTemplate(opts, 'linux')
    expect(t.map((m) => m.label ?? m.role)).toEqual([
      'File',
      'editMenu',
      'viewMenu',
      'windowMenu',
      'help'
    ])
    const file = t[0]?.submenu as { label?: string; role?: string; accelerator?: string }[]
    expect(file.map((i) => i.label ?? i.role)).toEqual([
      'Open Lake Folder',
      'Reveal Logs',
      undefined,
      'quit'
    ])
    expect(file[0]?.accelerator).toBe('CmdOrCtrl+Shift+L')
    const help = t[4]?.submenu as { label?: string; click?: () => void }[]
    expect(help.map((i) => i.label)).toContain('About lakebook')
  })

  it('puts About and Quit in the app menu on macOS', () => {
    const t = menuTemplate(opts, 'darwin')
    expect(t[0]?.label).toBe('lakebook')
    const appItems = t[0]?.submenu as { label?: string; role?: string }[]
    expect(appItems[0]?.label).toBe('About lakebook')
    expect(appItems.map((i) => i.role)).toContain('quit')
  })

  it('shows the versions, the lake and the log file, and can reveal the logs', async () => {
    const detail = aboutDetail(
      { version: '0.1.0+abc', lakeRoot: '/data/lake', logFile: '/logs/lakebook.log' },
      { ...process.versions, electron: '44.11.5', chrome: '152.0.1', modules: '149' }
    )
    expect(detail.split('\n')).toEqual([
      'lakebook 0.1.0+abc',
      'Electron 44.11.5',
      'Chromium 152.0.1',
      `Node ${process.versions.node} (NODE_MODULE_VERSION 149)`,
      `V8 ${process.versions.v8}`,
      `${process.platform}-${process.arch}`,
      'Lake: /data/lake',
      'Logs: /logs/lakebook.log'
    ])
    const help = menuTemplate(opts, 'linux')[4]?.submenu as { label?: string; click?: () => void }[]
    help.find((i) => i.label === 'About lakebook')?.click?.()
    // The mocked box answers "Reveal logs".
    await vi.waitFor(() => {
      expect(h.revealed.length).toBeGreaterThan(0)
    })
    expect(JSON.stringify(h.boxes[0])).toContain('Electron')
  })
})

describe('log file', () => {
  it('records job warnings and outcomes, and starts a new file past 5 MB', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'lakebook.log'), 'x'.repeat(5 * 1024 * 1024 + 1))
    const log = new AppLog(dir)
    expect(existsSync(join(dir, 'lakebook.1.log'))).toBe(true)
    let listener: Partial<JobEvents> = {}
    const jobs = {
      subscribe: (l: Partial<JobEvents>) => {
        listener = l
        return () => undefined
      }
    }
    log.follow(jobs as never)
    listener.log?.({ jobId: 'j1', level: 'info', message: 'progress chatter', at: '' })
    listener.log?.({ jobId: 'j1', level: 'warn', message: '3 lines malformed', at: '' })
    listener.changed?.({
      id: 'j1',
      kind: 'replay-capture',
      state: 'failed',
      error: { kind: 'input', message: 'x.gz:3: bad line' }
    } as never)
    const text = readFileSync(log.file, 'utf8')
    expect(text).not.toContain('progress chatter')
    expect(text).toMatch(/warn {2}job j1: 3 lines malformed\n/)
    expect(text).toMatch(/warn {2}job j1 \(replay-capture\) failed: x\.gz:3: bad line\n/)
  })
})
