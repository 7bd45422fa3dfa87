// The dataset folder check before an export: foreign files refuse the run (an export never
// deletes what it did not make); the temp of one of its own atomic writes, left by a kill
// between write and rename, is removed so the resumed run can go on. Folders built in the test.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkDatasetFolder } from '../../../src-main/export/pipeline'

function folder(names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'lakebook-dsfolder-'))
  for (const n of names) writeFileSync(join(dir, n), 'x')
  mkdirSync(join(dir, 'events'))
  return dir
}

describe('checkDatasetFolder', () => {
  it('removes a killed write of the certificate or the split, and keeps the data', () => {
    const dir = folder(['.certificate.json.3aba53ef.tmp', '.splits.json.0123abcd.tmp'])
    checkDatasetFolder(dir)
    expect(readdirSync(dir).sort()).toEqual(['events'])
  })

  it('refuses a folder with files it did not make, naming them, and deletes nothing', () => {
    const dir = folder(['notes.txt', '.other.json.3aba53ef.tmp'])
    expect(() => {
      checkDatasetFolder(dir)
    }).toThrow(
      `${dir} holds files that are not export output (.other.json.3aba53ef.tmp, notes.txt); choose another --out or remove them`
    )
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true)
    expect(existsSync(join(dir, '.other.json.3aba53ef.tmp'))).toBe(true)
  })
})
