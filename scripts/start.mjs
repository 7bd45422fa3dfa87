#!/usr/bin/env node
// `npm start`: the Electron app where its binary exists (fetching it once if the network allows),
// otherwise the browser host on 127.0.0.1, which prints the URL to open. On the first Electron
// start it also builds better-sqlite3 for Electron's ABI (scripts/rebuild-electron.mjs); when that
// cannot be done the browser host starts instead.
// Arguments after `--` are passed on (e.g. `npm start -- --lake /data/lake`).
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { ensureNativeBuild, findOrFetchElectron, root } from './electron.mjs'

const args = process.argv.slice(2)

function run(cmd, argv) {
  const child = spawn(cmd, argv, { stdio: 'inherit', cwd: root })
  const forward = (sig) => () => child.kill(sig)
  process.on('SIGINT', forward('SIGINT'))
  process.on('SIGTERM', forward('SIGTERM'))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

const binary = process.env.LAKEBOOK_BROWSER === '1' ? null : findOrFetchElectron()
if (binary && ensureNativeBuild(binary)) {
  run(binary, [root, ...args])
} else {
  process.stderr.write(
    binary
      ? 'lakebook: Electron has no better-sqlite3 build yet; starting the browser host instead.\n'
      : 'lakebook: no Electron binary on this machine; starting the browser host instead.\n'
  )
  run(process.execPath, [join(root, 'out', 'main', 'host.js'), ...args])
}
