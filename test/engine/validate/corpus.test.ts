// The bad-input corpus: every variant is a CORRUPTED COPY OF REAL DATA — a file converted from the
// real spot BTCUSDT capture, damaged here in one way (bytes cut or flipped, footer removed, a
// column dropped/renamed/retyped, values changed, rows duplicated/shuffled, …). Each is staged
// alone in its own lake and put through the gate (validateLake): it must fail its named rule, in
// the result and in the manifest, never crash, and never reach ready/. Two controls (an unchanged
// rewrite and a lakeapi-named copy) must pass to ready/, so the failures come from the damage.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  FileReport,
  GateTable,
  RuleStatus,
  ValidationRunResult,
  ValidationThresholds
} from '../../../src-shared/validate'
import type { LakeFileMeta } from '../../../src-main/lake/parquet/writer'
import { SCHEMAS } from '../../../src-main/lake/parquet/schemas'
import {
  mergeThresholds,
  selectionOf,
  validateLake,
  zoneFiles,
  type GateFile
} from '../../../src-main/validate'
import { validateInWorkers } from '../../../src-main/validate/parallel'
import { validationTap } from '../../../src-main/validate/streamValidation'
import type { ValidatedFile } from '../../../src-main/validate/fileChecker'
import { sha256File } from '../../../src-main/validate/integrity'
import {
  bookBatches,
  deltaBatches,
  tradeBatches
} from '../../../src-main/engine/source/lakeSources'
import { FloatGrid } from '../../../src-shared/units'
import { IssueLog } from '../../../src-main/util/issueLog'
import { engineWorker } from '../../helpers/engineWorker'
import { hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import {
  cloneCols,
  customFields,
  kvOf,
  readRaw,
  rowCount,
  selectRows,
  writeCustom,
  writeLake,
  withDeclaredRows,
  type RawColumns
} from '../../helpers/parquetVariants'
import { importToStaging } from '../../../src-main/validate'
import { lakeWithManifest, parquetUnder, partitionPath } from './helpers'
import { sql, quote } from '../parquet/helpers'

const D8 = '2024-08-08'
const D9 = '2024-08-09'
const meta = (date: string, over: Partial<LakeFileMeta> = {}): LakeFileMeta => ({
  date,
  containsGaps: false,
  symbol: 'BTC-USDT',
  exchange: 'BINANCE',
  ...over
})

interface Variant {
  readonly name: string
  readonly table: GateTable
  readonly day: string
  /** The rule that must report it, and how. */
  readonly rule: string
  readonly status?: RuleStatus
  /** Writes the variant into `path` (its staging location); may use the lake for extra setup. */
  build(path: string, lake: { root: string }): Promise<void> | void
  /** After building: e.g. a second file in the partition. */
  readonly files?: number
}

const f64 = (v: RawColumns[string] | undefined): Float64Array => v as Float64Array

describe.skipIf(!hasCaptures)('bad input corpus (corrupted copies of real data)', () => {
  let src = ''
  let trades: RawColumns = {}
  let book: RawColumns = {}
  let deltas: RawColumns = {}
  const realFile = (table: string, day: string): string =>
    join(src, table, 'exchange=BINANCE', 'symbol=BTC-USDT', `dt=${day}`, '1.snappy.parquet')
  const outcomes: { name: string; rule: string; failed: string[] }[] = []

  beforeAll(async () => {
    src = (await convertedLake('spot-btcusdt-20240808')).root
    trades = await readRaw(realFile('trades', D8), 'trades')
    book = await readRaw(realFile('book', D8), 'book')
    // The first 25,000 delta rows of 2024-08-09 (3 row groups): enough to damage, fast to write.
    const all = await readRaw(realFile('book_delta_v2', D9), 'book_delta_v2')
    deltas = selectRows(
      all,
      Array.from({ length: 25_000 }, (_, i) => i)
    )
  })

  afterAll(() => {
    if (process.env['LAKEBOOK_CORPUS_TABLE']) {
      for (const o of outcomes)
        process.stderr.write(`${o.name}\t${o.rule}\t${o.failed.join(', ')}\n`)
    }
  })

  const bytesOfReal = (table: string, day: string): Uint8Array =>
    new Uint8Array(readFileSync(realFile(table, day)))

  /** Changes a copy of the columns and writes it with the project's writer. */
  const rewrite =
    (table: GateTable, base: () => RawColumns, change: (c: RawColumns) => unknown, date = D8) =>
    async (path: string): Promise<void> => {
      const c = cloneCols(base())
      const changed = change(c)
      const out = typeof changed === 'object' && changed !== null ? (changed as RawColumns) : c
      await writeLake(path, table, meta(date), out)
    }

  const variants: Variant[] = [
    // integrity ------------------------------------------------------------------------------
    {
      name: 'zero-length',
      table: 'trades',
      day: D8,
      rule: 'integrity.envelope',
      build: (p) => {
        writeFileSync(p, new Uint8Array(0))
      }
    },
    {
      name: 'truncated (last 1,000 bytes cut)',
      table: 'trades',
      day: D8,
      rule: 'integrity.envelope',
      build: (p) => {
        const b = bytesOfReal('trades', D8)
        writeFileSync(p, b.slice(0, b.length - 1000))
      }
    },
    {
      name: 'truncated to half',
      table: 'book_delta_v2',
      day: D9,
      rule: 'integrity.envelope',
      build: (p) => {
        const b = bytesOfReal('book_delta_v2', D9)
        writeFileSync(p, b.slice(0, b.length >> 1))
      }
    },
    {
      name: 'no PAR1 at the start',
      table: 'trades',
      day: D8,
      rule: 'integrity.envelope',
      build: (p) => {
        const b = bytesOfReal('trades', D8)
        b.set([0x50, 0x4b, 0x03, 0x04], 0)
        writeFileSync(p, b)
      }
    },
    {
      name: 'footer removed (length and magic kept)',
      table: 'trades',
      day: D8,
      rule: 'integrity.footer',
      build: (p) => {
        const b = bytesOfReal('trades', D8)
        const len = new DataView(b.buffer).getUint32(b.length - 8, true)
        const body = b.slice(0, b.length - 8 - len)
        const out = new Uint8Array(body.length + 8)
        out.set(body)
        out.set(b.slice(b.length - 8), body.length)
        writeFileSync(p, out)
      }
    },
    {
      name: 'footer overwritten',
      table: 'book',
      day: D8,
      rule: 'integrity.footer',
      build: (p) => {
        const b = bytesOfReal('book', D8)
        const len = new DataView(b.buffer).getUint32(b.length - 8, true)
        b.fill(0xff, b.length - 8 - len, b.length - 8)
        writeFileSync(p, b)
      }
    },
    {
      name: 'footer declaring more rows than its row groups hold',
      table: 'trades',
      day: D8,
      rule: 'integrity.footer',
      build: (p) => {
        copyFileSync(realFile('trades', D8), p)
        withDeclaredRows(p, rowCount(trades) + 1_000)
      }
    },
    {
      name: 'flipped bytes inside a data page (row group 1)',
      table: 'book_delta_v2',
      day: D9,
      rule: 'integrity.row-groups',
      build: async (p) => {
        const real = realFile('book_delta_v2', D9)
        const pages = await sql(
          `SELECT row_group_id::INT AS g, data_page_offset::BIGINT AS data FROM parquet_metadata(${quote(real)}) WHERE column_id = 4`
        )
        const at = Number(pages.find((x) => x['g'] === 1)?.['data'])
        const b = bytesOfReal('book_delta_v2', D9)
        for (let i = at; i < at + 8; i++) b[i] = (b[i] ?? 0) ^ 0xff
        writeFileSync(p, b)
      }
    },
    {
      name: 'empty file with a valid footer',
      table: 'trades',
      day: D8,
      rule: 'integrity.non-empty',
      build: (p) => writeLake(p, 'trades', meta(D8), selectRows(trades, []))
    },
    {
      name: 'sha256 differs from the import record (rewritten after import)',
      table: 'trades',
      day: D8,
      rule: 'integrity.sha256',
      build: async (p, lake) => {
        // Import the real file (recorded with its sha256), then replace it with the same rows
        // written in other row groups: a valid file, but not the bytes that were recorded.
        const dir = join(lake.root, 'incoming')
        const inc = join(
          dir,
          'trades',
          'exchange=BINANCE',
          'symbol=BTC-USDT',
          `dt=${D8}`,
          '1.snappy.parquet'
        )
        await writeLake(inc, 'trades', meta(D8), trades)
        const { store } = openStore(lake.root)
        await importToStaging({ dir, link: false }, { lakeRoot: lake.root, store })
        await writeLake(p, 'trades', meta(D8), trades, 4_000)
      }
    },
    // schema ---------------------------------------------------------------------------------
    {
      name: 'column dropped (side)',
      table: 'trades',
      day: D8,
      rule: 'schema.columns',
      build: (p) => {
        writeCustom(
          p,
          customFields('trades', trades).filter((f) => f.name !== 'side'),
          kvOf('trades', meta(D8))
        )
      }
    },
    {
      name: 'column renamed (price → px)',
      table: 'book_delta_v2',
      day: D9,
      rule: 'schema.columns',
      build: (p) => {
        writeCustom(
          p,
          customFields('book_delta_v2', deltas).map((f) =>
            f.name === 'price' ? { ...f, name: 'px' } : f
          ),
          kvOf('book_delta_v2', meta(D9))
        )
      }
    },
    {
      name: 'column retyped (price as float32)',
      table: 'book_delta_v2',
      day: D9,
      rule: 'schema.types',
      build: (p) => {
        writeCustom(
          p,
          customFields('book_delta_v2', deltas).map((f) =>
            f.name === 'price' ? { ...f, type: 'float32' } : f
          ),
          kvOf('book_delta_v2', meta(D9))
        )
      }
    },
    {
      name: 'column retyped (trade id as double)',
      table: 'trades',
      day: D8,
      rule: 'schema.types',
      build: (p) => {
        writeCustom(
          p,
          customFields('trades', trades).map((f) =>
            f.name === 'id' ? { ...f, type: 'double' } : f
          ),
          kvOf('trades', meta(D8))
        )
      }
    },
    {
      name: 'unexpected extra column',
      table: 'trades',
      day: D8,
      rule: 'schema.columns',
      build: (p) => {
        const fields = customFields('trades', trades)
        writeCustom(
          p,
          [...fields, { name: 'fee', type: 'double', values: f64(trades['amount']) }],
          kvOf('trades', meta(D8))
        )
      }
    },
    {
      name: 'wrong KV metadata (event_type and exchange)',
      table: 'book',
      day: D8,
      rule: 'schema.kv',
      build: (p) => {
        writeCustom(p, customFields('book', book), {
          ...kvOf('book', meta(D8)),
          event_type: 'trades',
          exchange: 'BINANCE_FUTURES'
        })
      }
    },
    {
      name: 'nulls in the price column',
      table: 'trades',
      day: D8,
      rule: 'values.decode',
      build: (p) => {
        writeCustom(
          p,
          customFields('trades', trades).map((f) =>
            f.name === 'price'
              ? {
                  ...f,
                  values: Array.from(f.values as Float64Array, (v, i) => (i % 500 === 7 ? null : v))
                }
              : f
          ),
          kvOf('trades', meta(D8))
        )
      }
    },
    {
      name: 'side neither buy nor sell',
      table: 'trades',
      day: D8,
      rule: 'values.decode',
      build: (p) => {
        writeCustom(
          p,
          customFields('trades', trades).map((f) =>
            f.name === 'side'
              ? {
                  ...f,
                  values: Array.from(f.values as string[], (v, i) => (i === 123 ? 'hold' : v))
                }
              : f
          ),
          kvOf('trades', meta(D8))
        )
      }
    },
    // values ---------------------------------------------------------------------------------
    {
      name: 'off-tick price (+0.005)',
      table: 'book_delta_v2',
      day: D9,
      rule: 'values.price-grid',
      build: rewrite(
        'book_delta_v2',
        () => deltas,
        (c) => {
          const px = f64(c['price'])
          px[1000] = (px[1000] ?? 0) + 0.005
        },
        D9
      )
    },
    {
      name: 'NaN price',
      table: 'book_delta_v2',
      day: D9,
      rule: 'values.nan',
      build: rewrite(
        'book_delta_v2',
        () => deltas,
        (c) => {
          f64(c['price'])[2000] = NaN
        },
        D9
      )
    },
    {
      name: 'negative size',
      table: 'book_delta_v2',
      day: D9,
      rule: 'values.size',
      build: rewrite(
        'book_delta_v2',
        () => deltas,
        (c) => {
          const sz = f64(c['size'])
          sz[3000] = -Math.abs(sz[3000] ?? 1) - 0.001
        },
        D9
      )
    },
    {
      name: 'infinite size',
      table: 'book_delta_v2',
      day: D9,
      rule: 'values.nan',
      build: rewrite(
        'book_delta_v2',
        () => deltas,
        (c) => {
          f64(c['size'])[4000] = Infinity
        },
        D9
      )
    },
    {
      name: 'size 1e20 (lots beyond exact integers)',
      table: 'book_delta_v2',
      day: D9,
      rule: 'values.size',
      build: rewrite(
        'book_delta_v2',
        () => deltas,
        (c) => {
          f64(c['size'])[5000] = 1e20
        },
        D9
      )
    },
    {
      name: 'trade price 5e-324 (rounds to a price of 0)',
      table: 'trades',
      day: D8,
      rule: 'values.price-grid',
      build: rewrite(
        'trades',
        () => trades,
        (c) => {
          f64(c['price'])[77] = 5e-324
        }
      )
    },
    {
      name: 'trade amount finer than a 1e-8 lot',
      table: 'trades',
      day: D8,
      rule: 'values.size',
      build: rewrite(
        'trades',
        () => trades,
        (c) => {
          const a = f64(c['amount'])
          a[55] = (a[55] ?? 0) + 3e-10
        }
      )
    },
    {
      name: 'negative trade price',
      table: 'trades',
      day: D8,
      rule: 'values.price-grid',
      build: rewrite(
        'trades',
        () => trades,
        (c) => {
          const px = f64(c['price'])
          px[77] = -(px[77] ?? 0)
        }
      )
    },
    // time -----------------------------------------------------------------------------------
    {
      name: 'duplicated rows',
      table: 'trades',
      day: D8,
      rule: 'time.duplicates',
      build: rewrite(
        'trades',
        () => trades,
        (c) => {
          const order: number[] = []
          for (let i = 0; i < rowCount(c); i++) {
            order.push(i)
            if (i % 1000 === 500) order.push(i)
          }
          return selectRows(c, order)
        }
      )
    },
    {
      name: 'shuffled rows',
      table: 'trades',
      day: D8,
      rule: 'time.monotonic',
      build: rewrite(
        'trades',
        () => trades,
        (c) => {
          const n = rowCount(c)
          // A fixed permutation (multiplicative, coprime step): no randomness, same file each run.
          const order = Array.from({ length: n }, (_, i) => (i * 7919) % n)
          return selectRows(c, order)
        }
      )
    },
    {
      name: 'receive time going backwards by 10 s',
      table: 'book_delta_v2',
      day: D9,
      rule: 'time.monotonic',
      build: rewrite(
        'book_delta_v2',
        () => deltas,
        (c) => {
          const r = f64(c['receipt_timestamp'])
          for (let i = 12_000; i < 13_000; i++) r[i] = (r[i] ?? 0) - 10e9
        },
        D9
      )
    },
    {
      name: 'a day file holding another day (08-08 rows under dt=2024-08-06)',
      table: 'book',
      day: '2024-08-06',
      rule: 'time.in-day',
      build: rewrite(
        'book',
        () => book,
        () => undefined,
        '2024-08-06'
      )
    },
    {
      name: 'origin time 0 in trades',
      table: 'trades',
      day: D8,
      rule: 'time.origin-zero',
      build: rewrite(
        'trades',
        () => trades,
        (c) => {
          f64(c['timestamp'])[300] = 0
        }
      )
    },
    {
      name: 'origin time in ms instead of ns',
      table: 'trades',
      day: D8,
      rule: 'time.feed-lag',
      build: rewrite(
        'trades',
        () => trades,
        (c) => {
          const ts = f64(c['timestamp'])
          for (let i = 0; i < ts.length; i++) ts[i] = Math.floor((ts[i] ?? 0) / 1e6)
        }
      )
    },
    {
      name: 'a 40-minute hole in book_delta_v2',
      table: 'book_delta_v2',
      day: D9,
      rule: 'time.gaps',
      build: rewrite(
        'book_delta_v2',
        () => deltas,
        (c) => {
          const r = f64(c['receipt_timestamp'])
          const o = f64(c['timestamp'])
          const seq = f64(c['sequence_number'])
          // From the first row of the message at row 15,000 on, both times move 40 minutes later.
          let cut = 15_000
          while (cut > 0 && seq[cut - 1] === seq[cut]) cut--
          for (let i = cut; i < r.length; i++) {
            r[i] = (r[i] ?? 0) + 2400e9
            o[i] = (o[i] ?? 0) + 2400e9
          }
        },
        D9
      )
    },
    // sequences ------------------------------------------------------------------------------
    {
      name: 'trade id repeated',
      table: 'trades',
      day: D8,
      rule: 'sequence.trade-ids',
      build: rewrite(
        'trades',
        () => trades,
        (c) => {
          const id = f64(c['id'])
          id[400] = id[399] ?? 0
        }
      )
    },
    {
      name: 'every 20th trade missing',
      table: 'trades',
      day: D8,
      rule: 'sequence.trade-id-gaps',
      build: rewrite(
        'trades',
        () => trades,
        (c) =>
          selectRows(
            c,
            Array.from({ length: rowCount(c) }, (_, i) => i).filter((i) => i % 20 !== 10)
          )
      )
    },
    {
      name: 'delta message with a lower sequence number',
      table: 'book_delta_v2',
      day: D9,
      rule: 'sequence.delta-order',
      build: rewrite(
        'book_delta_v2',
        () => deltas,
        (c) => {
          const seq = f64(c['sequence_number'])
          // Every row of the message holding row 8,000 gets a number below its predecessor's.
          let a = 8000
          while (a > 0 && seq[a - 1] === seq[8000]) a--
          let b = 8000
          while (b + 1 < seq.length && seq[b + 1] === seq[8000]) b++
          const lower = (seq[a - 1] ?? 0) - 5
          for (let i = a; i <= b; i++) seq[i] = lower
        },
        D9
      )
    },
    {
      name: 'the same price twice in one delta message',
      table: 'book_delta_v2',
      day: D9,
      rule: 'sequence.delta-message',
      build: rewrite(
        'book_delta_v2',
        () => deltas,
        (c) => {
          const seq = f64(c['sequence_number'])
          const side = c['side_is_bid'] as Uint8Array
          const px = f64(c['price'])
          for (let i = 5000; i < seq.length; i++) {
            if (seq[i] === seq[i - 1] && side[i] === side[i - 1]) {
              px[i] = px[i - 1] ?? 0
              break
            }
          }
        },
        D9
      )
    },
    {
      name: 'book crossed on 10 % of rows (best bid and ask swapped)',
      table: 'book',
      day: D8,
      rule: 'sequence.book-crossed',
      build: rewrite(
        'book',
        () => book,
        (c) => {
          const b0 = f64(c['bid_0_price'])
          const a0 = f64(c['ask_0_price'])
          for (let i = 0; i < b0.length; i += 10) {
            const x = b0[i] ?? 0
            b0[i] = a0[i] ?? 0
            a0[i] = x
          }
        }
      )
    },
    {
      name: 'book level missing above a present one',
      table: 'book',
      day: D8,
      rule: 'sequence.book-levels',
      build: rewrite(
        'book',
        () => book,
        (c) => {
          f64(c['bid_3_price'])[100] = NaN
          f64(c['bid_3_size'])[100] = NaN
        }
      )
    },
    {
      name: 'book price NaN with its size set',
      table: 'book',
      day: D8,
      rule: 'sequence.book-levels',
      build: rewrite(
        'book',
        () => book,
        (c) => {
          f64(c['ask_2_price'])[200] = NaN
        }
      )
    },
    {
      name: 'book sequence number going back',
      table: 'book',
      day: D8,
      rule: 'sequence.book-order',
      build: rewrite(
        'book',
        () => book,
        (c) => {
          const s = f64(c['sequence_number'])
          s[500] = (s[499] ?? 0) - 100
        }
      )
    },
    // coverage -------------------------------------------------------------------------------
    {
      name: 'two overlapping files in one partition',
      table: 'trades',
      day: D8,
      rule: 'coverage.multiple-files',
      files: 2,
      build: async (p) => {
        await writeLake(p, 'trades', meta(D8), trades)
        copyFileSync(p, p.replace('1.snappy.parquet', '2.snappy.parquet'))
      }
    }
  ]

  const openStore = (root: string): ReturnType<typeof lakeWithManifest> => {
    const hit = stores.get(root)
    if (hit) return hit
    throw new Error(`no store for ${root}`)
  }
  const stores = new Map<string, ReturnType<typeof lakeWithManifest>>()
  const serialRuns: {
    files: GateFile[]
    expected: ({ sha256: string; source: string } | null)[]
    tick: string | null
    t: ValidationThresholds
    reports: readonly FileReport[]
  }[] = []

  it('has at least 25 failing variants', () => {
    expect(variants.filter((v) => (v.status ?? 'fail') === 'fail').length).toBeGreaterThanOrEqual(
      25
    )
  })

  it.each(variants.map((v) => [v.name, v] as const))('%s', async (_name, v) => {
    const lake = lakeWithManifest('lakebook-corpus-')
    stores.set(lake.root, lake)
    const path = partitionPath(lake.root, 'staging', v.table, v.day)
    await v.build(path, lake)
    const sel = selectionOf({ tables: [v.table], from: v.day, to: v.day })
    const gateFiles = zoneFiles(lake.root, 'staging', sel)
    const expected = gateFiles.map((f) => lake.store.expectedSha(f))
    let r: ValidationRunResult
    try {
      r = await validateLake(
        { tables: [v.table], from: v.day, to: v.day },
        { lakeRoot: lake.root, store: lake.store, runId: `run-${v.name}` }
      )
    } finally {
      stores.delete(lake.root)
    }
    const status = v.status ?? 'fail'
    expect(r.files).toHaveLength(v.files ?? 1)
    serialRuns.push({ files: gateFiles, expected, tick: r.tick, t: r.thresholds, reports: r.files })
    const scope = v.rule.startsWith('coverage.') ? 'day' : 'file'
    const found =
      scope === 'file'
        ? r.files[0]?.rules.find((x) => x.rule === v.rule)
        : r.days[0]?.rules.find((x) => x.rule === v.rule)
    expect(found?.status, `${v.rule}: ${found?.measured}`).toBe(status)
    outcomes.push({
      name: v.name,
      rule: v.rule,
      failed: [
        ...new Set([
          ...r.files.flatMap((f) => f.rules.filter((x) => x.status === 'fail').map((x) => x.rule)),
          ...r.days.flatMap((d) => d.rules.filter((x) => x.status === 'fail').map((x) => x.rule))
        ])
      ]
    })
    // Nothing reached ready/; the file stays in staging with its reasons.
    expect(r.promoted).toEqual([])
    expect(parquetUnder(join(lake.root, 'ready'))).toEqual([])
    expect(existsSync(path)).toBe(true)
    const kept = r.kept.find((k) => k.path.endsWith(`dt=${v.day}/1.snappy.parquet`))
    expect(kept?.reasons.some((x) => x.startsWith(`${v.rule}:`))).toBe(true)
    // …and the manifest says the same.
    const rel = `staging/${v.table}/exchange=BINANCE/symbol=BTC-USDT/dt=${v.day}/1.snappy.parquet`
    const findingScope = scope === 'file' ? rel : `day:${v.table}/${v.day}`
    const row = lake.db
      .prepare('SELECT status FROM validation_findings WHERE run_id = ? AND scope = ? AND rule = ?')
      .get(`run-${v.name}`, findingScope, v.rule) as { status: string } | undefined
    expect(row?.status).toBe(status)
    const gate = lake.store.gateFile(
      {
        table: v.table,
        exchange: 'BINANCE',
        symbol: 'BTC-USDT',
        day: v.day,
        filename: '1.snappy.parquet'
      },
      'staging'
    )
    expect(gate?.status === 'fail' || status !== 'fail' || scope === 'day').toBe(true)
    expect(gate?.reasons.some((x) => x.startsWith(`${v.rule}:`))).toBe(true)
    lake.db.close()
  })

  // Every damaged file again, all at once on two worker threads: each file's report must be the
  // one the serial gate gave it (the worker path must not change a verdict, count or example).
  it('gives every variant the same report on two worker threads as serially', async () => {
    expect(serialRuns.length).toBe(variants.length)
    const ticks = [...new Set(serialRuns.map((x) => x.tick))]
    for (const tick of ticks) {
      const runs = serialRuns.filter((x) => x.tick === tick)
      for (const x of runs) expect(x.t).toEqual(runs[0]?.t)
      const validated = await validateInWorkers(
        runs.flatMap((x) => x.files),
        {
          t: runs[0]?.t ?? mergeThresholds(),
          tick,
          expected: runs.flatMap((x) => x.expected),
          workers: 2,
          worker: engineWorker('validate')
        }
      )
      expect(validated.map((x) => x.report)).toEqual(runs.flatMap((x) => x.reports))
    }
  })

  // export --validate runs the same rules as a tap on the replay's read (streamValidation.ts):
  // every variant the replay reads to its end must get the report the gate gave it, and one
  // the replay refuses gets none (the export then validates its inputs on their own).
  it("gives every variant the gate's report through the replay's read, or none when the replay refuses it", async () => {
    let same = 0
    let refused = 0
    for (const x of serialRuns) {
      const tick = x.tick ?? '0.01'
      for (const [i, file] of x.files.entries()) {
        const tap = validationTap({
          t: x.t,
          tick: x.tick,
          files: [{ file, sha256: await sha256File(file.abs), expected: x.expected[i] ?? null }]
        })
        const source = [{ path: file.abs, day: file.day }]
        const grid = new FloatGrid(tick)
        const read =
          file.table === 'book_delta_v2'
            ? deltaBatches(source, grid, new IssueLog(), undefined, tap)
            : file.table === 'trades'
              ? tradeBatches(source, grid, new IssueLog(), undefined, tap)
              : bookBatches(source, grid, new IssueLog(), undefined, tap)
        let ok = true
        try {
          for await (const _ of read);
        } catch {
          ok = false
        }
        const got = tap.result() as ValidatedFile[]
        if (ok) {
          expect(got.map((v) => v.report)).toEqual([x.reports[i]])
          same++
        } else {
          expect(got).toEqual([])
          refused++
        }
      }
    }
    // Both paths are exercised: content damage the replay reads, and files it cannot read.
    expect(same).toBeGreaterThanOrEqual(25)
    expect(refused).toBeGreaterThanOrEqual(12)
  })

  it('controls: an unchanged rewrite and a lakeapi-named copy pass to ready/', async () => {
    const lake = lakeWithManifest('lakebook-corpus-')
    await writeLake(
      partitionPath(lake.root, 'staging', 'trades', D8),
      'trades',
      meta(D8),
      cloneCols(trades)
    )
    const renamed = customFields('book', book).map((f) => {
      const c = SCHEMAS.book.columns.find((x) => x.raw === f.name)
      return { ...f, name: c?.lakeapi ?? f.name }
    })
    writeCustom(partitionPath(lake.root, 'staging', 'book', D8), renamed, kvOf('book', meta(D8)))
    const r = await validateLake(
      { tables: ['trades', 'book'], from: D8, to: D8 },
      { lakeRoot: lake.root, store: lake.store, runId: 'controls' }
    )
    expect(r.counts.fail).toBe(0)
    expect(r.promoted).toHaveLength(2)
    const bookFile = r.files.find((f) => f.table === 'book')
    expect(bookFile?.rules.find((x) => x.rule === 'schema.naming')?.status).toBe('warn')
    expect(parquetUnder(join(lake.root, 'staging'))).toEqual([])
    lake.db.close()
  })
})
