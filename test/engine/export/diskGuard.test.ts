// The export's disk guard, with the free space given (SYNTHETIC figures: a full disk cannot be made
// here without privileges): refused before the start when the estimate does not fit, stopped at a
// checkpoint when the disk runs low, in plain sentences, as disk errors.
import { describe, expect, it } from 'vitest'
import { errorKind } from '../../../src-main/util/errors'
import {
  DEFAULT_OUTPUT_RATIO,
  MIN_FREE_BYTES,
  checkDiskBefore,
  checkDiskWhile,
  freeBytes
} from '../../../src-main/export/diskGuard'
import { tempDir } from '../../helpers/synthetic'

const GB = 1e9 // fmtBytes counts in powers of ten

describe('export disk guard', () => {
  it('refuses an export whose estimated output does not fit', () => {
    const input = 10 * GB
    expect(() => {
      checkDiskBefore('/data/ds', input, input * DEFAULT_OUTPUT_RATIO + MIN_FREE_BYTES)
    }).not.toThrow()
    let err: unknown
    try {
      checkDiskBefore('/data/ds', input, 12 * GB)
    } catch (e) {
      err = e
    }
    expect(String(err)).toBe(
      'DiskSpaceError: the export needs about 22.0 GB (2.2× its 10.0 GB of input) and the disk holding /data/ds has 12.0 GB free; free some space or export to another disk (--out)'
    )
    expect(errorKind(err)).toBe('io')
  })

  it('stops a running export at a checkpoint when the disk runs low', () => {
    expect(() => {
      checkDiskWhile('/data/ds', '2024-08-08T23:55:30.000Z', MIN_FREE_BYTES)
    }).not.toThrow()
    expect(() => {
      checkDiskWhile('/data/ds', '2024-08-08T23:55:30.000Z', 100e6)
    }).toThrow(
      /^the disk holding \/data\/ds has only 100.0 MB free: the export stopped at 2024-08-08T23:55:30.000Z, after its last checkpoint; free some space and run it again to resume$/
    )
  })

  it('measures the disk of a folder that does not exist yet', () => {
    expect(freeBytes(`${tempDir()}/not/yet/there`)).toBeGreaterThan(0)
  })
})
