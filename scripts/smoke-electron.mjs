#!/usr/bin/env node
// `npm run smoke:electron`: proves the desktop app works on this workstation. Starts the built app
// with --smoke (src-main/app/smoke.ts): window + renderer, a manifest in a temporary lake, a small
// capture replay in a worker, a clean quit. Exit 0 ok, 1 failed, 2 no Electron binary here.
// Options after `--`: --smoke-data <folder of Binance .gz captures> (default ../shared/data/binance-captures).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { electronBinary, ensureNativeBuild, root } from './electron.mjs'

const binary = electronBinary()
if (!binary) {
  process.stderr.write(
    'lakebook: smoke:electron needs the Electron binary, which is not on this machine (npm start fetches it once where the network allows).\n'
  )
  process.exit(2)
}
if (!ensureNativeBuild(binary)) process.exit(1)
const argv = [root, '--smoke', ...process.argv.slice(2)]
// A Linux machine without a display (CI, SSH) gets a virtual one when xvfb-run exists.
const headless =
  process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
const [cmd, args] =
  headless && existsSync('/usr/bin/xvfb-run')
    ? ['/usr/bin/xvfb-run', ['-a', binary, ...argv]]
    : [binary, argv]
const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, timeout: 300_000 })
if (r.error) {
  process.stderr.write(`lakebook: the app did not start (${r.error.message}).\n`)
  process.exit(1)
}
process.exit(r.status ?? 1)
