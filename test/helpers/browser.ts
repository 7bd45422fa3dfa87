// Starts the built browser host as a real child process and drives Debian's Chromium with
// playwright-core. In CI the browser must exist (.ci/run installs it); locally its absence skips
// the e2e tests with a loud message.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { OUT } from './build'

export const CHROMIUM = process.env['LAKEBOOK_CHROMIUM'] ?? '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

if (!hasChromium) {
  const msg = `\n*** CHROMIUM MISSING at ${CHROMIUM}: browser end-to-end tests are SKIPPED (apt-get install -y chromium) ***\n`
  if (process.env['CI']) throw new Error(msg)
  process.stderr.write(msg)
}

export interface RunningHost {
  readonly url: string
  readonly child: ChildProcess
  stop(): Promise<void>
}

export function startBuiltHost(
  lakeRoot: string,
  env: Record<string, string> = {},
  args: readonly string[] = []
): Promise<RunningHost> {
  const script = join(OUT, 'main', 'host.js')
  const child = spawn(process.execPath, [script, '--lake', lakeRoot, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env }
  })
  let out = ''
  let err = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`host did not print its URL in time:\n${out}\n${err}`))
    }, 20_000)
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve({
          url: m[1],
          child,
          stop: () =>
            new Promise((r) => {
              child.once('exit', () => {
                r()
              })
              child.kill('SIGTERM')
            })
        })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`host exited with ${code}:\n${out}\n${err}`))
    })
  })
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic'
    ]
  })
}
