// The lake's trust config: <lake>/lakebook.config.json { "gates": { …overrides } } on top of the
// defaults of src-shared/gates.ts. Read by every gate (validate, certify, export, backfill, the
// technical report) so the app, the CLI and the host judge with the same numbers.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  mergeTrustConfig,
  trustConfigOverrides,
  type TrustConfig,
  type TrustConfigOverrides
} from '../../src-shared/gates'
import { InputError } from '../util/errors'
import { writeFileAtomic } from '../util/atomicWrite'
import { zodSentence } from '../util/zodSentence'

export const CONFIG_FILE = 'lakebook.config.json'

export function configPath(lakeRoot: string): string {
  return join(lakeRoot, CONFIG_FILE)
}

/** One top-level key of the lake's config file (undefined when the file or the key is absent). */
export function readConfigKey(lakeRoot: string, key: string): unknown {
  const path = configPath(lakeRoot)
  if (!existsSync(path)) return undefined
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new InputError(`is not valid JSON: ${(e as Error).message}`, path)
  }
  return (raw as Record<string, unknown> | null)?.[key]
}

/** The overrides stored in the lake (empty when there is no config file). */
export function readTrustOverrides(lakeRoot: string): TrustConfigOverrides {
  const path = configPath(lakeRoot)
  const gates = readConfigKey(lakeRoot, 'gates') ?? {}
  const r = trustConfigOverrides.safeParse(gates)
  if (!r.success) throw new InputError(`${zodSentence(r.error, 'gates', gates)}.`, path)
  return r.data
}

export function loadTrustConfig(lakeRoot: string): TrustConfig {
  return mergeTrustConfig(readTrustOverrides(lakeRoot))
}

/** Replaces the lake's overrides (keeps any other top-level keys of the file). */
export function writeTrustOverrides(lakeRoot: string, o: TrustConfigOverrides): void {
  const path = configPath(lakeRoot)
  const parsed = trustConfigOverrides.parse(o)
  let rest: Record<string, unknown> = {}
  if (existsSync(path)) rest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  writeFileAtomic(path, `${JSON.stringify({ ...rest, gates: parsed }, null, 2)}\n`)
}
