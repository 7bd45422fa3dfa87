// No secret leaves the engine: a full run (verifyAccess, inventory, plan, download, measureRate)
// with explicit keys and a session token, against S3 errors that echo the secrets back the way
// real S3 does (SignatureDoesNotMatch carries StringToSign and the CanonicalRequest, which holds
// the x-amz-security-token header), plus a default-chain client fed from the environment. Every
// log line, progress report, result, ledger record and thrown error is collected; none may hold
// the secret access key or the session token, in clear or URL-encoded.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createLakeClient,
  downloadObjects,
  inventory,
  measureRate,
  MemoryLedger,
  planAcquisition,
  verifyAccess,
  type LakeClient
} from '../../../src-main/sources/cryptolake'
import { hasCaptures } from '../../helpers/data'
import { FaultProxy } from '../../helpers/faultProxy'
import {
  buildVendorBucketFiles,
  startVendorS3,
  VENDOR_EXCHANGE as EX,
  VENDOR_SYMBOL as SYM,
  type VendorServer
} from '../../helpers/vendorBucket'

describe.skipIf(!hasCaptures)('secrets never reach logs, results or errors', () => {
  let server: VendorServer
  let proxy: FaultProxy
  const token = `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`
  const captured: string[] = []
  const log = (level: string, message: string): void => {
    captured.push(`${level} ${message}`)
  }
  const keep = (x: unknown): void => {
    captured.push(JSON.stringify(x))
  }
  const keepError = (e: unknown): void => {
    captured.push(String(e), e instanceof Error ? (e.stack ?? '') : '', JSON.stringify(e))
  }

  beforeAll(async () => {
    server = await startVendorS3({ files: await buildVendorBucketFiles() })
    proxy = await FaultProxy.start(server.endpoint)
  })
  afterAll(async () => {
    await proxy.close()
    await server.close()
  })

  it('over a full run with injected echoing errors', async () => {
    const secret = server.credentials.secretAccessKey
    const canonical =
      `<StringToSign>AWS4-HMAC-SHA256\n20261125T000000Z\n…</StringToSign>` +
      `<SignatureProvided>0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef</SignatureProvided>` +
      `<CanonicalRequest>GET\n/qnt.data/\nlist-type=2\nhost:127.0.0.1\nx-amz-security-token:${token}\n</CanonicalRequest>`
    // Access: one table's listing answers SignatureDoesNotMatch with the canonical request.
    proxy.add({
      match: '/book/exchange=',
      fault: {
        kind: 'status',
        status: 403,
        code: 'SignatureDoesNotMatch',
        message: 'The request signature we calculated does not match',
        extraXml: canonical
      },
      times: 2
    })
    // Inventory: contents.json.gz refused with the token in the message itself.
    proxy.add({
      match: '/trades/contents.json.gz',
      fault: {
        kind: 'status',
        status: 400,
        code: 'ExpiredToken',
        message: `The provided token ${token} has expired.`
      },
      times: 1
    })
    // Download: a 503 whose message names the secret (contrived, but the path must redact it),
    // a 403 with the canonical request, and a cut connection.
    proxy.add({
      match: '/trades/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-08',
      method: 'GET',
      fault: { kind: 'status', status: 503, code: 'SlowDown', message: `slow down ${secret}` },
      times: 2
    })
    proxy.add({
      match: '/book/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-09',
      method: 'GET',
      fault: {
        kind: 'status',
        status: 403,
        code: 'AccessDenied',
        message: `denied for ${encodeURIComponent(token)}`,
        extraXml: canonical
      }
    })
    proxy.add({
      match: '/book_delta_v2/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-08',
      method: 'GET',
      fault: { kind: 'cut', afterBytes: 100_000 },
      times: 1
    })

    const client: LakeClient = createLakeClient({
      credentials: { kind: 'keys', ...server.credentials, sessionToken: token },
      endpoint: proxy.url
    })
    captured.push(client.describe())
    const lakeRoot = mkdtempSync(join(tmpdir(), 'lakebook-redact-'))
    const ledger = new MemoryLedger()
    try {
      keep(
        await verifyAccess(client, { exchange: EX, symbol: SYM, log, retry: { baseDelayMs: 1 } })
      )
      const inv = await inventory(client, {
        exchange: EX,
        symbol: SYM,
        log,
        retry: { baseDelayMs: 1 }
      })
      keep(inv)
      keep(planAcquisition(inv, { from: '2024-08-08', to: '2024-08-09', lakeRoot }))
      const summary = await downloadObjects(client, inv.objects, {
        lakeRoot,
        ledger,
        log,
        onProgress: keep,
        progressIntervalMs: 0,
        retry: { baseDelayMs: 5, maxDelayMs: 20 }
      })
      keep(summary)
      keep([...ledger.files.values()])
      expect(summary).toMatchObject({ verified: 5, denied: 1 })
      proxy.add({
        match: 'dt=2024-08-09',
        method: 'GET',
        fault: { kind: 'status', status: 403, code: 'SignatureDoesNotMatch', extraXml: canonical }
      })
      await measureRate(client, { key: inv.objects[1]?.key ?? '' }).catch(keepError)
    } finally {
      client.destroy()
      rmSync(lakeRoot, { recursive: true, force: true })
    }

    // A default-chain client whose keys come from the environment.
    const saved = { ...process.env }
    try {
      process.env['AWS_ACCESS_KEY_ID'] = server.credentials.accessKeyId
      process.env['AWS_SECRET_ACCESS_KEY'] = secret
      process.env['AWS_SESSION_TOKEN'] = token
      const envClient = createLakeClient({ credentials: { kind: 'default' }, endpoint: proxy.url })
      proxy.add({
        match: 'list-type=2',
        fault: {
          kind: 'status',
          status: 400,
          code: 'InvalidToken',
          message: `token ${token} / key ${secret}`,
          extraXml: canonical
        }
      })
      keep(await verifyAccess(envClient, { exchange: EX, symbol: SYM, log }))
      envClient.destroy()
    } finally {
      process.env = saved
    }

    // The secrets really were in play: sent (token) and echoed back by the injected errors.
    expect(proxy.log.some((e) => e.securityToken)).toBe(true)
    expect(captured.join('\n')).toContain('‹redacted›')
    const all = captured.join('\n')
    expect(all.length).toBeGreaterThan(10_000)
    for (const s of [secret, token, encodeURIComponent(token), encodeURIComponent(secret)]) {
      expect(
        all.includes(s),
        `a secret leaked:\n${all.split('\n').find((l) => l.includes(s)) ?? ''}`
      ).toBe(false)
    }
  })
})
