// planAcquisition on a real inventory (s3rver with the vendor layout): totals, quota share, a
// schedule that keeps days whole across quota months, refusals (disk, quota when starting now,
// a file larger than a month), files already verified, and a measured rate.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createLakeClient,
  freeDiskBytes,
  inventory,
  measureRate,
  MemoryLedger,
  planAcquisition,
  quotaMonthStart,
  type FileRecord,
  type Inventory,
  type LakeClient
} from '../../../src-main/sources/cryptolake'
import { hasCaptures } from '../../helpers/data'
import {
  buildVendorBucketFiles,
  startVendorS3,
  VENDOR_EXCHANGE as EX,
  VENDOR_SYMBOL as SYM,
  type VendorFile,
  type VendorServer
} from '../../helpers/vendorBucket'

describe.skipIf(!hasCaptures)('plan', () => {
  let files: VendorFile[] = []
  let server: VendorServer
  let client: LakeClient
  let inv: Inventory
  let total = 0
  const lakeRoot = mkdtempSync(join(tmpdir(), 'lakebook-plan-'))
  const now = new Date('2026-11-20T12:00:00Z')
  const base = { from: '2024-08-07', to: '2024-08-10', lakeRoot, now }
  const dayBytes = (dt: string): number =>
    files.filter((f) => f.dt === dt).reduce((a, f) => a + f.size, 0)

  beforeAll(async () => {
    files = await buildVendorBucketFiles()
    server = await startVendorS3({ files })
    client = createLakeClient({
      credentials: { kind: 'keys', ...server.credentials },
      endpoint: server.endpoint
    })
    inv = await inventory(client, { exchange: EX, symbol: SYM, from: base.from, to: base.to })
    total = files.reduce((a, f) => a + f.size, 0)
  })
  afterAll(async () => {
    client.destroy()
    await server.close()
    rmSync(lakeRoot, { recursive: true, force: true })
  })

  it('counts files and bytes, the quota share and the time at a given rate', () => {
    const p = planAcquisition(inv, { ...base, rateBytesPerSec: 1e6 })
    expect(p).toMatchObject({
      files: 6,
      bytes: total,
      unknownSizes: 0,
      toDownload: { files: 6, bytes: total }
    })
    expect(p.tables.map((t) => [t.table, t.files, t.days, t.missingDays])).toEqual([
      ['trades', 2, 2, 2],
      ['book', 2, 2, 2],
      ['book_delta_v2', 2, 2, 2]
    ])
    expect(p.estimatedSeconds).toBeCloseTo(total / 1e6)
    expect(p.quota).toMatchObject({
      bytesPerMonth: 300e9,
      remainingThisMonth: 300e9,
      monthsNeeded: 1
    })
    expect(p.quota.shareOfMonthlyQuota).toBeCloseTo(total / 300e9)
    expect(p.disk.ok).toBe(true)
    expect(p.disk.freeBytes).toBe(freeDiskBytes(lakeRoot))
    expect(p.decision.kind).toBe('ok')
    expect(p.schedule).toHaveLength(1)
    expect(p.objects.map((o) => o.dt)).toEqual([
      '2024-08-08',
      '2024-08-08',
      '2024-08-08',
      '2024-08-09',
      '2024-08-09',
      '2024-08-09'
    ])
  })

  it('spreads days over quota months, whole, and refuses to start now beyond the quota left', () => {
    const d8 = dayBytes('2024-08-08')
    const d9 = dayBytes('2024-08-09')
    const quota = Math.max(d8, d9) + 1
    const opts = { ...base, quotaBytesPerMonth: quota, usedThisMonthBytes: quota - 10 }
    const p = planAcquisition(inv, opts)
    expect(p.decision.kind).toBe('ok')
    expect(p.schedule.map((m) => [m.month, m.firstDt, m.lastDt, m.files, m.bytes])).toEqual([
      ['2026-12', '2024-08-08', '2024-08-08', 3, d8],
      ['2027-01', '2024-08-09', '2024-08-09', 3, d9]
    ])
    expect(p.schedule[0]?.startsAt).toBe('2026-12-01T00:00:00.000Z')
    const now2 = planAcquisition(inv, { ...opts, start: 'now' })
    expect(now2.decision).toMatchObject({ kind: 'refuse', reason: 'quota' })
    expect(now2.decision.message).toMatch(
      /only 10 B of this month's .* quota is left; schedule it over 2 months/
    )
    // Enough left this month: starting now is fine.
    expect(planAcquisition(inv, { ...base, start: 'now' }).decision.kind).toBe('ok')
  })

  it('splits a day larger than a month file by file, and refuses a file larger than a month', () => {
    const biggest = Math.max(...files.map((f) => f.size))
    const p = planAcquisition(inv, { ...base, quotaBytesPerMonth: biggest })
    expect(p.decision.kind).toBe('ok')
    expect(p.schedule.length).toBeGreaterThan(2)
    for (const m of p.schedule) expect(m.bytes).toBeLessThanOrEqual(biggest)
    expect(p.schedule.reduce((a, m) => a + m.files, 0)).toBe(6)
    const tooSmall = planAcquisition(inv, { ...base, quotaBytesPerMonth: biggest - 1 })
    expect(tooSmall.decision).toMatchObject({ kind: 'refuse', reason: 'file-too-large' })
  })

  it('refuses when the disk cannot hold it', () => {
    const free = freeDiskBytes(lakeRoot)
    const p = planAcquisition(inv, { ...base, reserveBytes: free - total + 1 })
    expect(p.decision).toMatchObject({ kind: 'refuse', reason: 'disk' })
    expect(p.decision.message).toMatch(/free/)
    expect(p.disk.ok).toBe(false)
  })

  it('leaves out files the ledger already holds as verified with the same ETag', () => {
    const ledger = new MemoryLedger()
    const [a, b] = inv.objects
    for (const [o, etag] of [
      [a, a?.etag],
      [b, 'another-version']
    ] as const) {
      ledger.recordFile({
        bucket: o?.bucket,
        key: o?.key,
        status: 'verified',
        etag,
        sha256: 'x',
        path: 'p'
      } as FileRecord)
    }
    const p = planAcquisition(inv, { ...base, ledger })
    expect(p.alreadyVerified).toEqual({ files: 1, bytes: a?.size })
    expect(p.toDownload.files).toBe(5)
    expect(p.objects.some((o) => o.key === a?.key)).toBe(false)
    expect(p.objects.some((o) => o.key === b?.key)).toBe(true)
  })

  it('measures a download rate and uses the ledger’s bytes for the month', async () => {
    const o = inv.objects.find((x) => x.table === 'book_delta_v2') as Inventory['objects'][number]
    const r = await measureRate(client, o, { bytes: 256 * 1024 })
    expect(r.bytes).toBe(256 * 1024)
    expect(r.bytesPerSec).toBeGreaterThan(0)
    const ledger = new MemoryLedger()
    ledger.recordTransfer({ at: '2026-10-31T23:59:59.000Z', bucket: 'b', key: 'old', bytes: 5e9 })
    ledger.recordTransfer({ at: '2026-11-02T00:00:00.000Z', bucket: 'b', key: 'k', bytes: 7e9 })
    const used = ledger.bytesTransferredSince(quotaMonthStart(now))
    expect(used).toBe(7e9)
    const p = planAcquisition(inv, {
      ...base,
      usedThisMonthBytes: used,
      rateBytesPerSec: r.bytesPerSec
    })
    expect(p.quota.remainingThisMonth).toBe(293e9)
    expect(p.estimatedSeconds).toBeGreaterThan(0)
  })
})
