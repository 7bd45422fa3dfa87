#!/usr/bin/env node
// `npm run dist`: installers for this platform with electron-builder (electron-builder.yml), after
// the Electron build of better-sqlite3 (rebuild:electron). Both need Electron itself, which comes
// from the network; where it cannot be had this says so in one sentence and exits 2.
// Arguments after `--` go to electron-builder (e.g. `npm run dist -- --linux deb`).
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { findOrFetchElectron, root } from './electron.mjs'

if (!findOrFetchElectron()) {
  process.stderr.write(
    'lakebook: packaging needs the Electron binary (for the better-sqlite3 build and the installers), and it cannot be fetched on this machine; run npm run dist on a workstation with internet.\n'
  )
  process.exit(2)
}
const step = (args) =>
  spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root }).status ?? 1
const rebuilt = step([join(root, 'scripts', 'rebuild-electron.mjs')])
if (rebuilt !== 0) process.exit(rebuilt)
const cli = join(root, 'node_modules', 'electron-builder', 'cli.js')
process.exit(step([cli, '--config', 'electron-builder.yml', ...process.argv.slice(2)]))
