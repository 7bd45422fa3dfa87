// Where the Electron binary is, when it was ever fetched (the electron package's path.txt, or
// ELECTRON_OVERRIDE_DIST_PATH): read here, not through require('electron'), which would try to
// download it in the middle of a test run.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './build'

export function electronBinary(): string | null {
  const dir = join(ROOT, 'node_modules', 'electron')
  const pathFile = join(dir, 'path.txt')
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH']
  const bin = override ? join(override, rel ?? 'electron') : rel ? join(dir, 'dist', rel) : null
  return bin !== null && existsSync(bin) ? bin : null
}
