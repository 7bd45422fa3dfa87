// The free-disk alert on a disk that really fills: a 64 MB tmpfs mounted as the lake root, the
// REAL spot BTCUSDT capture converted into it, then the disk filled until less than the rule's
// 32 MB stays free. `lakebook status` raises disk-free once (stderr, exit 1, the webhook once),
// a second status raises nothing new; a conversion into the full disk fails with one sentence
// and leaves no partition that looks complete; freeing the space clears the alert (the webhook
// hears it). The filler file is plain zeros (synthetic, named so). Mounting needs root: where
// the machine refuses it the test is skipped with a loud line.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runBuilt } from '../../helpers/build'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'
import { webhookReceiverForSuite } from '../../helpers/webhookReceiver'

const mountPoint = tempDir('lakebook-tmpfs-')
const mounted =
  spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mountPoint], { encoding: 'utf8' })
    .status === 0
if (!mounted) {
  process.stderr.write(
    `\n*** TMPFS NOT MOUNTABLE at ${mountPoint} (needs root): the filled-disk alert test is SKIPPED ***\n`
  )
}

/** Writes zeros into `name` until at most `leaveBytes` stay free on the mount. */
function fillTo(name: string, leaveBytes: number): void {
  const s = statfsSync(mountPoint)
  const free = s.bavail * s.bsize
  writeFileSync(join(mountPoint, name), Buffer.alloc(Math.max(0, free - leaveBytes)))
}

describe.skipIf(!mounted || !hasCaptures)(
  'free-disk alert on a filling tmpfs (real capture)',
  () => {
    const hook = webhookReceiverForSuite()
    afterAll(() => {
      spawnSync('umount', [mountPoint])
    })

    it('raises disk-free once on every channel, refuses to write past full, and clears', async () => {
      const lake = join(mountPoint, 'lake')
      mkdirSync(lake)
      writeFileSync(
        join(lake, 'lakebook.config.json'),
        JSON.stringify({ alerts: { diskFreeMinGb: 0.032, webhook: { url: hook.url, retries: 0 } } })
      )
      const files = captureFiles('spot-btcusdt-20240808')
      const convert = (out: string) =>
        runBuilt(['--lake', lake, 'convert', 'capture-to-lake', '--out', out, ...files])
      // Room to work: the conversion succeeds and nothing fires.
      expect((await convert(join(lake, 'conv'))).code).toBe(0)
      const calm = await runBuilt(['--lake', lake, 'status'])
      expect(calm.out).not.toContain('disk-free')
      expect(hook.got).toEqual([])

      // Filled to 8 MB free: below the rule's 32 MB.
      fillTo('filler-zeros.bin', 8e6)
      const first = await runBuilt(['--lake', lake, 'status'])
      expect(first.code).toBe(1)
      expect(first.out).toMatch(
        /disk-free: [0-9.]+ MB free at .*lakebook-tmpfs-.* \(limit 0\.032 GB\)/
      )
      expect(first.out).toContain('runbook: docs/runbooks/disk-free.md')
      expect(first.err).toContain('alert raised:')
      expect(hook.got.map((b) => [b.event, b.alert.rule])).toEqual([['raised', 'disk-free']])
      const again = await runBuilt(['--lake', lake, 'status'])
      expect(again.err).not.toContain('alert raised:')
      expect(hook.got).toHaveLength(1)

      // Full: a conversion cannot finish; one sentence, and no partition looks complete.
      fillTo('filler-zeros-2.bin', 0)
      const out = join(lake, 'conv-full')
      const failed = await convert(out)
      expect(failed.code).not.toBe(0)
      expect(failed.err.trim().split('\n')).toHaveLength(1)
      expect(failed.err).toMatch(/disk is full|because it is full|ENOSPC|SQLITE_FULL/)
      const published = existsSync(out)
        ? readdirSync(out, { recursive: true }).filter((f) => String(f).endsWith('.parquet'))
        : []
      expect(published).toEqual([])

      // Space freed: the alert clears, and the webhook hears it.
      rmSync(join(mountPoint, 'filler-zeros.bin'))
      rmSync(join(mountPoint, 'filler-zeros-2.bin'))
      const cleared = await runBuilt(['--lake', lake, 'status'])
      expect(cleared.out).toMatch(/cleared #\d+ disk-free/)
      expect(hook.got.map((b) => [b.event, b.alert.rule])).toEqual([
        ['raised', 'disk-free'],
        ['cleared', 'disk-free']
      ])
    })
  }
)
