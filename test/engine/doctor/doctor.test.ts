// lakebook doctor: reachability against loopback servers (answering, silent, closed), the checks
// that read this machine, and the CLI's lines and exit codes (a mocked Electron runtime without a
// better-sqlite3 build makes a required check fail).
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DoctorReport } from '../../../src-shared/doctor'
import { credentialsCheck, diskCheck } from '../../../src-main/doctor/checks'
import { runDoctor } from '../../../src-main/doctor/doctor'
import { reach } from '../../../src-main/doctor/reach'
import { OUT } from '../../helpers/build'
import { tempDir } from '../../helpers/synthetic'

let answering: Server
let silent: Server
let base = ''
let silentUrl = ''
let closedUrl = ''

function listen(s: Server): Promise<string> {
  return new Promise((resolve) => {
    s.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)
    })
  })
}

beforeAll(async () => {
  answering = createServer((req, res) => {
    res.writeHead(req.url === '/s3/' ? 403 : 200).end('{}')
  })
  silent = createServer(() => {
    // Accepts the connection and never answers.
  })
  base = await listen(answering)
  silentUrl = await listen(silent)
  const closed = createServer()
  closedUrl = await listen(closed)
  await new Promise((r) => closed.close(r))
})
afterAll(() => {
  answering.close()
  silent.closeAllConnections()
  silent.close()
})

describe('reachability (loopback only)', () => {
  it('counts any HTTP answer, 403 included, as reachable', async () => {
    expect(await reach(`${base}/ping`)).toMatchObject({ ok: true })
    const s3 = await reach(`${base}/s3/`)
    expect(s3.ok).toBe(true)
    expect(s3.detail).toMatch(/^answered HTTP 403 in \d+ ms$/)
  })

  it('says unreachable for a refused connection and for a server that never answers', async () => {
    const refused = await reach(closedUrl)
    expect(refused).toEqual({
      ok: false,
      detail: expect.stringMatching(/^unreachable: .*ECONNREFUSED/) as unknown
    })
    expect(await reach(silentUrl, 300)).toEqual({
      ok: false,
      detail: 'unreachable: no answer within 0.3 s'
    })
  })
})

describe('machine checks', () => {
  it('finds keys in the environment or an AWS profile, and warns when there are none', () => {
    const home = tempDir()
    expect(credentialsCheck({}, null, home)).toMatchObject({ status: 'warn', required: false })
    expect(
      credentialsCheck(
        { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'synthetic' },
        null,
        home
      )
    ).toMatchObject({ status: 'pass', detail: 'from the environment (AKIA…MPLE)', fix: null })
    mkdirSync(join(home, '.aws'))
    writeFileSync(join(home, '.aws', 'credentials'), '[research]\naws_access_key_id = x\n')
    expect(credentialsCheck({ AWS_PROFILE: 'research' }, null, home).status).toBe('pass')
    expect(credentialsCheck({ AWS_PROFILE: 'other' }, null, home).status).toBe('warn')
    expect(credentialsCheck({}, { stored: true, keyId: 'AKIA…MPLE' }, home).status).toBe('pass')
  })

  it('fails the lake root below the minimum free space and warns below the comfortable one', () => {
    const dir = join(tempDir(), 'not-yet-created')
    expect(diskCheck(dir, 0, 0)).toMatchObject({ status: 'pass', required: true })
    expect(diskCheck(dir, Number.POSITIVE_INFINITY, 0).status).toBe('warn')
    const low = diskCheck(dir, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)
    expect(low.status).toBe('fail')
    expect(low.fix).toMatch(/another lake root/)
  })

  it('runs every check in order, the network ones against the given URLs', async () => {
    const r = await runDoctor({
      lakeRoot: tempDir(),
      urls: { cryptoLake: `${base}/s3/`, binance: closedUrl }
    })
    const ids = r.checks.map((c) => c.id).filter((id) => id !== 'electron')
    expect(ids).toEqual([
      'runtime',
      'sqlite',
      'duckdb',
      'parquet-wasm',
      'chromium',
      'disk',
      'credentials',
      'crypto-lake',
      'binance'
    ])
    const by = new Map(r.checks.map((c) => [c.id, c]))
    expect(by.get('sqlite')?.detail).toMatch(/^loads \(SQLite 3\./)
    expect(by.get('duckdb')?.detail).toMatch(/N-API/)
    expect(by.get('parquet-wasm')?.detail).toMatch(/parquet_wasm_bg\.wasm/)
    expect(by.get('crypto-lake')?.status).toBe('pass')
    expect(by.get('binance')).toMatchObject({ status: 'warn', required: false })
    expect(by.get('binance')?.detail).toMatch(/unreachable/)
    expect(r.ok).toBe(true)
  })
})

describe('lakebook doctor (built CLI)', () => {
  const cli = join(OUT, 'main', 'cli.js')
  const run = (args: string[], nodeArgs: string[] = []) =>
    spawnSync(process.execPath, [...nodeArgs, cli, '--lake', tempDir(), 'doctor', ...args], {
      encoding: 'utf8',
      timeout: 60_000
    })

  it('prints one line per check and fails (exit 1) when better-sqlite3 has no build for Electron', () => {
    // A mocked Electron runtime: process.versions says Electron 44 (ABI 149) before the CLI loads
    // (defaultApp: Electron's flag when it runs a script, which commander reads for argv).
    const pretend = join(tempDir(), 'pretend-electron.cjs')
    writeFileSync(
      pretend,
      "for (const [k, v] of [['electron', '44.11.5'], ['modules', '149']]) Object.defineProperty(process.versions, k, { value: v, configurable: true, enumerable: true })\nprocess.defaultApp = true\n"
    )
    const r = run(['--json'], ['--require', pretend])
    expect(r.status).toBe(1)
    const report = JSON.parse(r.stdout) as DoctorReport
    expect(report.runtime).toBe('Electron 44.11.5')
    const sqlite = report.checks.find((c) => c.id === 'sqlite')
    expect(sqlite?.status).toBe('fail')
    expect(sqlite?.detail).toMatch(
      /^better-sqlite3 has no build for Electron 44\.11\.5 \(NODE_MODULE_VERSION 149\)/
    )
    expect(sqlite?.fix).toMatch(/^npm run rebuild:electron/)
    // Network lines are bounded and plain whatever this machine's network is.
    for (const id of ['crypto-lake', 'binance']) {
      expect(report.checks.find((c) => c.id === id)?.detail).toMatch(/answered HTTP|unreachable: /)
    }
  })

  it('exits 0 under Node with the human lines', () => {
    const r = run([])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^lakebook doctor: Node \d+\.\d+\.\d+, lake /)
    expect(r.stdout).toMatch(/\n {2}pass {2}better-sqlite3 +loads \(SQLite/)
    expect(r.stdout).toMatch(/\n\d+ passed, \d+ warnings, 0 failed\n$/)
  })
})
