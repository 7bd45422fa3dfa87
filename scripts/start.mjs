#!/usr/bin/env node
// `npm start`: the Electron app where its binary exists (fetching it once if the network allows),
// otherwise the browser host on 127.0.0.1, which prints the URL to open.
// Arguments after `--` are passed on (e.g. `npm start -- --lake /data/lake`).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const electronDir = join(root, 'node_modules', 'electron')
const args = process.argv.slice(2)

function electronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const pathFile = join(electronDir, 'path.txt')
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  if (override) return join(override, rel ?? 'electron')
  if (rel && existsSync(join(electronDir, 'dist', rel))) return join(electronDir, 'dist', rel)
  return null
}

function tryFetchElectron() {
  if (process.env.LAKEBOOK_BROWSER === '1' || !existsSync(join(electronDir, 'install.js')))
    return false
  process.stderr.write('lakebook: fetching the Electron binary (first start only)…\n')
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: 'inherit',
    timeout: 600_000
  })
  return r.status === 0
}

function run(cmd, argv) {
  const child = spawn(cmd, argv, { stdio: 'inherit', cwd: root })
  const forward = (sig) => () => child.kill(sig)
  process.on('SIGINT', forward('SIGINT'))
  process.on('SIGTERM', forward('SIGTERM'))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

let binary = process.env.LAKEBOOK_BROWSER === '1' ? null : electronBinary()
if (!binary && process.env.LAKEBOOK_BROWSER !== '1' && tryFetchElectron()) binary = electronBinary()
if (binary) {
  run(binary, [root, ...args])
} else {
  process.stderr.write(
    'lakebook: no Electron binary on this machine; starting the browser host instead.\n'
  )
  run(process.execPath, [join(root, 'out', 'main', 'host.js'), ...args])
}
