// The native menu: the platform's usual Edit/View/Window items and shortcuts (Electron roles), the
// lake and log folders, and an About box with the versions of everything that matters.
import {
  app,
  dialog,
  Menu,
  shell,
  type BrowserWindow,
  type MenuItemConstructorOptions
} from 'electron'
import type { AppLog } from './logs'

export interface MenuOptions {
  readonly version: string
  readonly lakeRoot: string
  readonly log: AppLog
  readonly window: () => BrowserWindow | null
}

/** The About box's lines: lakebook, Electron, Chromium, Node, V8, OS, lake and log locations. */
export function aboutDetail(
  opts: Pick<MenuOptions, 'version' | 'lakeRoot'> & { logFile: string },
  v: NodeJS.ProcessVersions = process.versions
): string {
  return [
    `lakebook ${opts.version}`,
    `Electron ${v.electron}`,
    `Chromium ${v.chrome}`,
    `Node ${v.node} (NODE_MODULE_VERSION ${v.modules})`,
    `V8 ${v.v8}`,
    `${process.platform}-${process.arch}`,
    `Lake: ${opts.lakeRoot}`,
    `Logs: ${opts.logFile}`
  ].join('\n')
}

export function showAbout(opts: MenuOptions): void {
  const detail = aboutDetail({ ...opts, logFile: opts.log.file })
  const win = opts.window()
  const box = {
    type: 'info' as const,
    title: 'About lakebook',
    message: 'lakebook',
    detail,
    buttons: ['OK', 'Reveal logs'],
    defaultId: 0
  }
  void (win ? dialog.showMessageBox(win, box) : dialog.showMessageBox(box)).then((r) => {
    if (r.response === 1) opts.log.reveal()
  })
}

export function menuTemplate(
  opts: MenuOptions,
  platform: NodeJS.Platform = process.platform
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const about: MenuItemConstructorOptions = {
    label: 'About lakebook',
    click: () => {
      showAbout(opts)
    }
  }
  const revealLogs: MenuItemConstructorOptions = {
    label: 'Reveal Logs',
    click: () => {
      opts.log.reveal()
    }
  }
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: app.name,
          submenu: [
            about,
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' }
          ]
        }
      ]
    : []
  return [
    ...appMenu,
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Lake Folder',
          accelerator: 'CmdOrCtrl+Shift+L',
          click: () => {
            void shell.openPath(opts.lakeRoot)
          }
        },
        revealLogs,
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [revealLogs, ...(mac ? [] : [{ type: 'separator' as const }, about])] }
  ]
}

export function installMenu(opts: MenuOptions): void {
  app.setAboutPanelOptions({
    applicationName: 'lakebook',
    applicationVersion: opts.version,
    credits: aboutDetail({ ...opts, logFile: opts.log.file })
  })
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(opts)))
}
