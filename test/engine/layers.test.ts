// The import layers are enforced by lint (eslint.layers.mjs): each rule is shown to fire on a
// snippet that breaks it and to stay quiet on the allowed form, so a rule that silently stops
// matching (as the SQLite rule once did, overridden by a later block) fails here.
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain ESM config module without types
import { layers } from '../../eslint.layers.mjs'

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
    ...(layers as ESLint.Options['overrideConfig'][])
  ] as NonNullable<ESLint.Options['overrideConfig']>
})

async function messages(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: file })
  return (r?.messages ?? []).map((m) => m.message)
}

describe('import layers', () => {
  it('keeps the book free of the rest of the engine, apart from the types of its rows', async () => {
    const f = 'src-main/engine/book/example.ts'
    expect(await messages(f, "import { replayLake } from '../lakeReplay'\n")).toEqual([
      expect.stringContaining('The book imports nothing of the engine')
    ])
    expect(await messages(f, "import { IssueLog } from '../../util/issueLog'\n")).toEqual([
      expect.stringContaining('nothing outside the engine but src-shared')
    ])
    expect(await messages(f, "import type { BookBatch } from '../source/batches'\n")).toEqual([])
    expect(
      await messages(f, "import type { LakeReplayPolicy } from '../../../src-shared/lake'\n")
    ).toEqual([])
  })

  it('keeps every feature and shell folder out of the engine', async () => {
    for (const [file, spec] of [
      ['src-main/engine/source/example.ts', '../../export/checkpoint'],
      ['src-main/engine/lakeReplay2.ts', '../jobs/manager'],
      ['src-main/engine/observe/example.ts', '../../fidelity/compare']
    ] as const) {
      expect(await messages(file, `import { x } from '${spec}'\n`)).toEqual([
        expect.stringContaining('never the reverse')
      ])
    }
    expect(
      await messages('src-main/engine/source/example.ts', "import { x } from '../../lake/tick'\n")
    ).toEqual([])
  })

  it('lets the shell reach the engine only through its public face', async () => {
    const f = 'src-main/cli/commands/example.ts'
    expect(await messages(f, "import { TOP_N } from '../../engine/book/orderBook'\n")).toEqual([
      expect.stringContaining('public face')
    ])
    expect(await messages(f, "import { OrderBook } from '../../engine'\n")).toEqual([])
    expect(
      await messages(
        'src-main/app/example.ts',
        "import { replayLake } from '../engine/lakeReplay'\n"
      )
    ).toEqual([expect.stringContaining('public face')])
  })

  it('keeps Electron in the shell and SQLite behind the manifest', async () => {
    expect(
      await messages('src-main/export/example.ts', "import { app } from 'electron'\n")
    ).toEqual([expect.stringContaining('thin shell')])
    for (const f of [
      'src-main/export/example.ts',
      'src-main/engine/example.ts',
      'src-main/app/example.ts'
    ])
      expect(await messages(f, "import Database from 'better-sqlite3'\n")).toEqual([
        expect.stringContaining('SQLite stays behind')
      ])
    expect(
      await messages('src-main/lake/manifest.ts', "import Database from 'better-sqlite3'\n")
    ).toEqual([])
    expect(
      await messages('src-main/app/example.ts', "import { ipcMain } from 'electron'\n")
    ).toEqual([expect.stringContaining('Only src-main/app/ipc.ts')])
    expect(await messages('src-main/app/example.ts', "import { app } from 'electron'\n")).toEqual(
      []
    )
  })
})
