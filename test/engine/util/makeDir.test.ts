// makeDir against the folders Node 20's recursive mkdir never returns from (a path under /proc, a
// dangling symlink) and the usual failures: each ends at once in a sentence naming the folder.
// Synthetic paths in a temp folder; /proc is Linux's own.
import { existsSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { errorMessage } from '../../../src-main/util/errors'
import { fsErrorSentence } from '../../../src-main/util/fsReason'
import { makeDir } from '../../../src-main/util/makeDir'
import { tempDir } from '../../helpers/synthetic'

describe('makeDir', () => {
  it('makes missing levels and accepts an existing folder', () => {
    const d = join(tempDir('lakebook-mkdir-'), 'a', 'b', 'c')
    makeDir(d)
    expect(statSync(d).isDirectory()).toBe(true)
    makeDir(d)
  })

  it.skipIf(process.platform !== 'linux')('refuses a folder under /proc in a sentence', () => {
    expect(() => {
      makeDir('/proc/lakebook-ds/x')
    }).toThrow(
      /^\/proc\/lakebook-ds: cannot make the folder: the file system does not allow a folder here \(ENOENT\)$/
    )
  })

  it('refuses a dangling symlink and a file on the way', () => {
    const root = tempDir('lakebook-mkdir-')
    symlinkSync(join(root, 'gone'), join(root, 'link'))
    expect(() => {
      makeDir(join(root, 'link', 'out'))
    }).toThrow(`${join(root, 'link')}: a symlink to a folder that does not exist`)
    writeFileSync(join(root, 'file'), 'x')
    expect(() => {
      makeDir(join(root, 'file', 'out'))
    }).toThrow(
      `${join(root, 'file')}: not a folder, so ${join(root, 'file', 'out')} cannot be made in it`
    )
    expect(existsSync(join(root, 'gone'))).toBe(false)
  })

  it('says a Node fs error in words', () => {
    const e = Object.assign(new Error("ENOTDIR: not a directory, scandir '/x/y'"), {
      code: 'ENOTDIR',
      syscall: 'scandir',
      path: '/x/y'
    })
    expect(fsErrorSentence(e)).toBe(
      'cannot list the folder /x/y: a part of the path is a file, not a folder (ENOTDIR)'
    )
    expect(errorMessage(e)).toBe(fsErrorSentence(e))
    expect(errorMessage(new Error('plain'))).toBe('plain')
  })
})
