// Crash safety: a download in a child process (test/helpers/acquireChild.ts, SQLite ledger) is
// SIGKILLed at random points, at least 10 times while files are incomplete, and resumed each time.
// After every kill: every file at a final path is byte-identical to the server's object, and every
// ledger row marked verified points at such a file. At the end: all files verified, sha256 equal
// to the server's, no .part left, and the resumed runs fetched far less than a restart per kill.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createLakeClient,
  inventory,
  stagingPath,
  type LakeObject
} from '../../../src-main/sources/cryptolake'
import type { ChildConfig } from '../../helpers/acquireChild'
import { hasCaptures } from '../../helpers/data'
import { FaultProxy } from '../../helpers/faultProxy'
import {
  buildVendorBucketFiles,
  startVendorS3,
  VENDOR_EXCHANGE as EX,
  VENDOR_SYMBOL as SYM,
  type VendorServer
} from '../../helpers/vendorBucket'

const ROOT = resolve(import.meta.dirname, '../../..')
const CHILD = join(ROOT, 'test/helpers/acquireChild.ts')
const MIN_KILLS = 10

/** mulberry32: a seeded PRNG, so a failing run can be replayed with CRASH_SEED. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sha256 = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex')

interface RunResult {
  killed: boolean
  done: string | null
  lastBytes: number
}

/**
 * How to start the child: a one-off esbuild bundle (esbuild comes with tsx) starts in ~0.3 s
 * instead of ~1.5 s through tsx's loader, which keeps 10+ kill rounds short; tsx if bundling fails.
 */
async function childCommand(): Promise<string[]> {
  try {
    const esbuild = await import('esbuild')
    // Inside node_modules, so the bundle resolves better-sqlite3 (native, left external) and
    // parquet-wasm (the footer check's schema decode; it finds its .wasm through __dirname).
    const out = join(ROOT, 'node_modules/.cache/lakebook-acquire-child/child.mjs')
    await esbuild.build({
      entryPoints: [CHILD],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: out,
      external: ['better-sqlite3', 'parquet-wasm'],
      // CommonJS modules inside the bundle (the AWS SDK) call require().
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
      },
      logLevel: 'error'
    })
    return [out]
  } catch {
    return ['--import', 'tsx', CHILD]
  }
}

/** Runs the child; kills it `killAfterMs` after its first progress line (null = let it finish). */
function runChild(
  command: string[],
  cfg: ChildConfig,
  killAfterMs: number | null
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, command, {
      cwd: ROOT,
      env: { ...process.env, ACQUIRE_CHILD_CFG: JSON.stringify(cfg) },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    let err = ''
    let timer: NodeJS.Timeout | null = null
    let killed = false
    let lastBytes = 0
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /progress (\d+)\n[^\n]*$/.exec(out)
      if (m) lastBytes = Number(m[1])
      if (killAfterMs !== null && timer === null && out.includes('progress ')) {
        timer = setTimeout(() => {
          killed = child.kill('SIGKILL')
        }, killAfterMs)
      }
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (timer !== null) clearTimeout(timer)
      const done = /done (.*)\n/.exec(out)?.[1] ?? null
      if (signal === 'SIGKILL' || code === 0)
        resolvePromise({ killed: killed && signal === 'SIGKILL', done, lastBytes })
      else reject(new Error(`child exited with ${code}: ${err}`))
    })
  })
}

describe.skipIf(!hasCaptures)('crash safety', () => {
  let server: VendorServer
  let proxy: FaultProxy
  let objects: LakeObject[] = []
  let command: string[] = []

  beforeAll(async () => {
    command = await childCommand()
    server = await startVendorS3({ files: await buildVendorBucketFiles() })
    proxy = await FaultProxy.start(server.endpoint)
    // Slow bodies (~0.8 MB/s per connection), so a kill lands mid-transfer.
    proxy.add({
      match: '.parquet',
      method: 'GET',
      fault: { kind: 'slow', chunkBytes: 8192, delayMs: 10 }
    })
    const client = createLakeClient({
      credentials: { kind: 'keys', ...server.credentials },
      endpoint: server.endpoint
    })
    objects = [...(await inventory(client, { exchange: EX, symbol: SYM })).objects]
    client.destroy()
  })
  afterAll(async () => {
    await proxy.close()
    await server.close()
  })

  /** The invariants that must hold after any kill. */
  const checkLake = (lakeRoot: string, context: string): { finals: number; parts: number } => {
    let finals = 0
    let parts = 0
    for (const o of objects) {
      const p = stagingPath(lakeRoot, o)
      if (existsSync(p)) {
        finals++
        expect(sha256(p), `${context}: partial or wrong file at a final path ${p}`).toBe(
          server.objects.get(o.key)?.sha256
        )
      }
      if (existsSync(`${p}.part`)) parts++
    }
    const dbPath = join(lakeRoot, 'ledger.sqlite')
    if (existsSync(dbPath)) {
      const db = new Database(dbPath, { readonly: true })
      try {
        const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'acquired_files'").get()
        const rows = (
          table === undefined
            ? []
            : db.prepare('SELECT key, status, sha256, path FROM acquired_files').all()
        ) as {
          key: string
          status: string
          sha256: string | null
          path: string | null
        }[]
        for (const r of rows) {
          expect(r.status, `${context}: ${r.key}`).toBe('verified')
          const file = join(lakeRoot, r.path ?? '')
          expect(existsSync(file), `${context}: verified row without its file`).toBe(true)
          expect(sha256(file)).toBe(r.sha256)
          expect(r.sha256).toBe(server.objects.get(r.key)?.sha256)
        }
      } finally {
        db.close()
      }
    }
    return { finals, parts }
  }

  it(`resumes after ${MIN_KILLS}+ SIGKILLs with only verified files at final paths`, async () => {
    const seed = Number(process.env['CRASH_SEED'] ?? Date.now() % 1e9)
    const random = rng(seed)
    const total = objects.reduce((a, o) => a + (o.size ?? 0), 0)
    const lakes: string[] = []
    const track = (dir: string): string => {
      lakes.push(dir)
      return dir
    }
    const newLake = (): ChildConfig => ({
      endpoint: proxy.url,
      credentials: server.credentials,
      lakeRoot: track(mkdtempSync(join(tmpdir(), 'lakebook-crash-'))),
      objects,
      concurrency: 2
    })
    let cfg = newLake()
    let midTransferKills = 0
    let sawPart = 0
    for (let round = 0; midTransferKills < MIN_KILLS && round < 40; round++) {
      const delay = Math.floor(random() * 450)
      const r = await runChild(command, cfg, delay)
      const state = checkLake(cfg.lakeRoot, `seed ${seed}, round ${round}, kill after ${delay} ms`)
      if (r.killed && state.finals < objects.length) midTransferKills++
      if (state.parts > 0) sawPart++
      if (r.done !== null) {
        // Finished before the kill: start again on a fresh lake to keep killing mid-transfer.
        cfg = newLake()
      }
    }
    expect(midTransferKills, `seed ${seed}`).toBeGreaterThanOrEqual(MIN_KILLS)
    expect(sawPart, 'kills never left a .part to resume').toBeGreaterThan(0)
    // Later runs continued .part files with Range requests instead of starting over.
    expect(
      proxy.log.filter((e) => e.range !== null && /^bytes=[1-9]\d*-$/.test(e.range)).length
    ).toBeGreaterThan(0)

    const before = proxy.log.reduce((a, e) => a + e.bytesSent, 0)
    const last = await runChild(command, cfg, null)
    expect(last.done).not.toBeNull()
    const summary = JSON.parse(last.done ?? '{}') as {
      verified: number
      failed: number
      bytesTransferred: number
    }
    expect(summary).toMatchObject({ verified: objects.length, failed: 0 })
    const state = checkLake(cfg.lakeRoot, `seed ${seed}, final`)
    expect(state).toEqual({ finals: objects.length, parts: 0 })
    // Resumed, not restarted: the last run fetched only what the earlier ones had not.
    expect(summary.bytesTransferred).toBeLessThanOrEqual(total)
    const sent = proxy.log.reduce((a, e) => a + e.bytesSent, 0) - before
    expect(sent).toBe(summary.bytesTransferred)
    const leftovers = readdirSync(join(cfg.lakeRoot, 'staging'), { recursive: true }).map(String)
    expect(
      leftovers.filter((f) => f.endsWith('.part') || f.endsWith('.part.json') || f.endsWith('.tmp'))
    ).toEqual([])
    console.log(
      `crash test: seed ${seed}, ${midTransferKills} mid-transfer kills over ${lakes.length} lake(s)`
    )
    for (const l of lakes) rmSync(l, { recursive: true, force: true })
  })
})
