// An S3 endpoint with a user name or password inside (https://user:pass@host) is refused by the one
// lake source schema, so the CLI, the app and the browser host refuse it alike, and the sentence
// names where the keys go instead without repeating the URL.
import { describe, expect, it } from 'vitest'
import {
  ENDPOINT_CREDENTIALS_REFUSED,
  lakeSource,
  urlHasCredentials
} from '../../src-shared/acquire'
import { invokeSchemas } from '../../src-shared/ipc/schemas'
import { jobSpec } from '../../src-shared/jobs'

// Synthetic URLs; the password is what must never come back.
const PASSWORD = 'Pa55w0rdInsideUrl'
const SOURCE = { exchange: 'BINANCE', symbol: 'BTC-USDT' }

describe('credentials inside an endpoint URL', () => {
  it('are found in every spelling the URL parser accepts, and only there', () => {
    for (const url of [
      `https://user:${PASSWORD}@host:9000`,
      `http://AKIAEXAMPLE:${PASSWORD}@127.0.0.1:9000/`,
      'https://user@host',
      'https://:secret@host',
      'HTTPS://user:secret@host/path',
      'https:user:secret@host',
      'https:\\\\user:secret@host'
    ]) {
      expect(urlHasCredentials(url), url).toBe(true)
      // The WHATWG parser agrees that these carry a user name or password.
      const u = new URL(url)
      expect(u.username !== '' || u.password !== '', url).toBe(true)
    }
    for (const url of [
      'http://127.0.0.1:9000',
      'https://s3.eu-west-1.amazonaws.com/',
      'http://host:9000/bucket/key@v2',
      'http://host:9000?who=a@b',
      'http://host:9000#a@b'
    ]) {
      expect(urlHasCredentials(url), url).toBe(false)
      const u = new URL(url)
      expect(u.username + u.password, url).toBe('')
    }
  })

  it('are refused by the lake source schema with the sentence, not the URL', () => {
    const r = lakeSource.safeParse({ ...SOURCE, endpoint: `https://user:${PASSWORD}@host:9000` })
    expect(r.success).toBe(false)
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['endpoint', ENDPOINT_CREDENTIALS_REFUSED]
    ])
    expect(JSON.stringify(r.error?.issues.map((i) => i.message))).not.toContain(PASSWORD)
    expect(ENDPOINT_CREDENTIALS_REFUSED).toMatch(
      /put the keys in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an AWS profile or the app's Data page, not in the endpoint$/
    )
    expect(lakeSource.safeParse({ ...SOURCE, endpoint: 'http://127.0.0.1:9000' }).success).toBe(
      true
    )
  })

  it('are refused in a download job and in every app request that takes a source', () => {
    const source = { ...SOURCE, endpoint: `http://k:${PASSWORD}@127.0.0.1:9000` }
    const job = jobSpec.safeParse({
      kind: 'download',
      params: { source, from: '2024-08-08', to: '2024-08-08' }
    })
    expect(job.success).toBe(false)
    expect(job.error?.issues[0]?.path.join('.')).toBe('params.source.endpoint')
    expect(invokeSchemas['acquire.verifyAccess'].safeParse({ source }).success).toBe(false)
    expect(invokeSchemas['acquire.inventory'].safeParse({ source }).success).toBe(false)
    expect(
      invokeSchemas['acquire.plan'].safeParse({ source, from: '2024-08-08', to: '2024-08-08' })
        .success
    ).toBe(false)
    expect(
      invokeSchemas['jobs.start'].safeParse({
        kind: 'download',
        params: { source, from: '2024-08-08', to: '2024-08-08' }
      }).success
    ).toBe(false)
  })
})
