// Where a job started over IPC (the Electron window, the browser host's WebSocket) may write.
// Anyone holding the browser host's token could otherwise have a job write any file of the user
// (an export's --out, a report path, a lake root for a capture). The rule:
//
// - OUTPUT paths of a job requested over IPC must lie, after resolving symlinks (also a dangling
//   one, whose target a write would create), inside the lake root, a folder the user picked in a
//   native folder dialog in this session, or a folder given to the browser host with --allow-dir.
//   `..` is resolved first, so it cannot climb out.
// - INPUT paths are not confined: the app's work is reading captures and vendor folders wherever
//   they are (the shared sample beside the project, a download folder), readers open regular
//   files only (util/regularFile.ts: no FIFOs, devices, symlink loops), and a job reports counts
//   and sentences about its inputs, never their contents. Reading is far less dangerous than
//   writing; a token holder can still learn whether a path exists and holds capture or Parquet
//   data.
// - The CLI is not confined: its user typed the path.
//
// The check runs when the job is requested; a symlink swapped in between the check and the write
// is not caught (whoever can do that can write the files already).
import { lstatSync, readlinkSync, realpathSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { JobKind, JobSpec } from '../../src-shared/jobs'
import { IpcRequestError } from './router'

type ParamsOf<K extends JobKind> = Extract<JobSpec, { kind: K }>['params']
type Outputs<K extends JobKind> = (p: ParamsOf<K>) => (readonly [string, string | undefined])[]

// Every kind is listed, so a new job kind must decide what it writes. An absent path means the
// job's default, which is under the lake.
const OUTPUTS: { [K in JobKind]: Outputs<K> } = {
  'replay-capture': () => [], // the timeline goes to the lake
  'replay-lake': () => [],
  'convert-capture': (p) => [['out', p.out]],
  download: () => [], // into the lake
  validate: (p) => [['report', p.report]],
  profile: (p) => [['report', p.report]],
  certify: (p) => [['out', p.out]],
  import: () => [], // into the lake's staging zone
  capture: (p) => [['lakeRoot', p.lakeRoot]], // resume is a session id, checked by sessionDir
  'capture-regimes': () => [],
  fidelity: (p) => [['report', p.report]],
  export: (p) => [['out', p.out]],
  'export-day': (p) => [['dataset', p.dataset]],
  'verify-dataset': () => [],
  'backfill-plan': (p) => [['out', p.out]],
  'backfill-run': () => [], // into the folder its plan recorded (itself checked when planned)
  'backfill-status': () => [],
  'report-technical': (p) => [['out', p.out]],
  pipeline: () => [] // into the lake: staging, ready, certificates, reports, exports, pipelines
}

/** The output paths a job spec names, as [field, path]. */
export function outputFields(spec: JobSpec): [string, string][] {
  const of = OUTPUTS[spec.kind] as (p: unknown) => (readonly [string, string | undefined])[]
  return of(spec.params).flatMap(([f, p]) => (p === undefined ? [] : [[f, p] as [string, string]]))
}

const MAX_LINKS = 40

/**
 * The real path a write to `path` would reach: `..` resolved, the symlinks of its longest
 * existing prefix resolved, and a dangling symlink followed to where the write would create it.
 */
export function realTarget(path: string, links = 0): string {
  let head = resolve(path)
  const tail: string[] = []
  for (;;) {
    try {
      return join(realpathSync(head), ...tail)
    } catch (e) {
      const code = (e as { code?: string }).code
      if (code === 'ELOOP' || links > MAX_LINKS)
        throw new Error(`${path}: a symlink loop, refused`, { cause: e })
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e
    }
    let link: string | null = null
    try {
      if (lstatSync(head).isSymbolicLink()) link = readlinkSync(head)
    } catch {
      link = null
    }
    if (link !== null) return realTarget(join(resolve(dirname(head), link), ...tail), links + 1)
    const parent = dirname(head)
    if (parent === head) return join(head, ...tail)
    tail.unshift(basename(head))
    head = parent
  }
}

function inside(target: string, root: string): boolean {
  const rel = relative(root, target)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

export class OutputRoots {
  /** Real path → how it was allowed ("the lake", "--allow-dir", "picked"). */
  private readonly roots = new Map<string, string>()

  /** Throws a sentence when the lake or an --allow-dir folder does not exist. */
  constructor(lakeRoot: string, allowDirs: readonly string[] = []) {
    this.add(lakeRoot, 'the lake')
    for (const d of allowDirs) this.add(d, '--allow-dir')
  }

  private add(dir: string, how: string): void {
    let real: string
    try {
      real = realpathSync(resolve(dir))
    } catch {
      throw new Error(`${resolve(dir)}: no such folder (${how}); it must exist`)
    }
    if (!this.roots.has(real)) this.roots.set(real, how)
  }

  /** A folder the user chose in a native folder dialog (this session only). */
  allowPicked(dir: string): void {
    this.add(dir, 'picked')
  }

  describe(): string {
    return [...this.roots].map(([dir, how]) => `${how} ${dir}`).join(', ')
  }

  /** Why a job may not write to `path`, or null when it may. */
  refusal(what: string, path: string): string | null {
    let target: string
    try {
      target = realTarget(path)
    } catch (e) {
      return `${what} ${path}: ${e instanceof Error ? e.message : String(e)}`
    }
    for (const root of this.roots.keys()) if (inside(target, root)) return null
    const via = target === resolve(path) ? '' : ` (it resolves to ${target} through a symlink)`
    return (
      `${what} ${path} is outside the folders a request from the app may write to${via}: ` +
      `${this.describe()}; refused. Write under the lake, choose the folder in a folder dialog, ` +
      `or start the browser host with --allow-dir; the lakebook CLI is not confined.`
    )
  }
}

/** Throws the refusal (one sentence, the router's error path) when a job would write outside. */
export function confineJob(spec: JobSpec, roots: OutputRoots): void {
  for (const [field, path] of outputFields(spec)) {
    const why = roots.refusal(`${spec.kind} ${field}`, path)
    if (why !== null) throw new IpcRequestError(why)
  }
}
