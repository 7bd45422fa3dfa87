// electron-builder.yml against the tree after `npm run build`: every entry and file pattern names
// something that exists, the native/WASM files it unpacks from the asar are really there, the icons
// are real images of the sizes each platform needs, and the Electron build of better-sqlite3 is
// shipped where src-main/native/binding.ts looks for it, and the Electron fuses are flipped with
// the option names electron-builder's own schema knows. (Packaging itself needs the Electron
// binary, which cannot be had here.)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { nativeRoots, SQLITE_BINARY } from '../../../src-main/native/binding'
import { builtWorkerPath, ROOT } from '../../helpers/build'

interface BuilderConfig {
  directories: { buildResources: string; output: string }
  files: string[]
  asar: boolean
  asarUnpack: string[]
  electronFuses: Record<string, boolean>
  npmRebuild: boolean
  extraResources: { from: string; to: string; filter: string[] }[]
  linux: { target: string[]; icon: string }
  mac: { target: string[]; icon: string; entitlements: string; entitlementsInherit: string }
  win: { target: string[]; icon: string }
}

const config = load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string
  scripts: Record<string, string>
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const b = readFileSync(file)
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG')
  return [b.readUInt32BE(16), b.readUInt32BE(20)]
}

describe('electron-builder configuration', () => {
  it('targets AppImage + deb, dmg and nsis, with `npm run dist` calling it', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.win.target).toEqual(['nsis'])
    expect(pkg.scripts['dist']).toMatch(/scripts\/dist\.mjs/)
    expect(readFileSync(join(ROOT, 'scripts', 'dist.mjs'), 'utf8')).toMatch(/electron-builder\.yml/)
  })

  it('packs the built entries: main, CLI, host, job worker, preload, renderer', () => {
    for (const rel of [
      pkg.main,
      'out/main/cli.js',
      'out/main/host.js',
      'out/preload/index.cjs',
      'out/renderer/index.html'
    ]) {
      expect(existsSync(join(ROOT, rel)), rel).toBe(true)
    }
    expect(builtWorkerPath()).toMatch(/out[/\\]main[/\\]chunks[/\\]worker-/)
    expect(config.files).toContain('out/**/*')
    expect(config.files).toContain('package.json')
    // Each exclusion names a real folder of the tree (a typo would ship it); .lakebook-native is
    // made by rebuild:electron, which needs the network.
    const negatives = config.files.filter((f) => f.startsWith('!node_modules/'))
    expect(negatives).toContain('!node_modules/.lakebook-native/**')
    for (const neg of negatives.filter((f) => !f.includes('.lakebook-native'))) {
      const base = neg.slice(1).split(/[{*]/)[0] ?? ''
      expect(existsSync(join(ROOT, base)), neg).toBe(true)
    }
  })

  it('unpacks every native addon and WASM file of better-sqlite3, DuckDB, snappy and parquet-wasm', () => {
    const matched = new Set<string>()
    for (const pattern of config.asarUnpack) {
      // Patterns are `<package folder>/**/*.<ext>`: list the folder, match the extension.
      const m = /^(node_modules\/.+?)\/\*\*\/\*(\.[a-z]+)$/.exec(pattern)
      expect(m, pattern).not.toBeNull()
      const [, dir = '', ext = ''] = m ?? []
      for (const f of filesUnder(join(ROOT, dir)).filter((p) => p.endsWith(ext))) matched.add(f)
    }
    const names = [...matched].map((f) => f.slice(ROOT.length + 1))
    expect(names).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node')
    expect(names.some((n) => /@duckdb\/node-bindings-[^/]+\/duckdb\.node$/.test(n))).toBe(true)
    expect(names).toContain('node_modules/parquet-wasm/node/parquet_wasm_bg.wasm')
    expect(names.some((n) => /@napi-rs\/snappy-[^/]+\/snappy\.[^/]+\.node$/.test(n))).toBe(true)
    if (process.platform === 'linux') {
      expect(names.some((n) => /@duckdb\/node-bindings-[^/]+\/libduckdb\.so$/.test(n))).toBe(true)
    }
  })

  it('ships the Electron build of better-sqlite3 as resources/native, where the app looks', () => {
    expect(config.npmRebuild).toBe(false)
    const native = config.extraResources.find((r) => r.to === 'native')
    expect(native?.from).toBe('node_modules/.lakebook-native')
    expect(native?.filter).toContain(`*/${SQLITE_BINARY}`)
    expect(nativeRoots({}, '/opt/lakebook/resources/app.asar/node_modules')).toEqual([
      `/opt/lakebook/resources/${native?.to ?? ''}`
    ])
  })

  it('flips the Electron fuses, with option names from the installed electron-builder schema', () => {
    const scheme = JSON.parse(
      readFileSync(join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')
    ) as {
      properties: Record<string, unknown>
      definitions: { FuseOptionsV1: { properties: Record<string, { type: string }> } }
    }
    expect(JSON.stringify(scheme.properties['electronFuses'])).toContain(
      '#/definitions/FuseOptionsV1'
    )
    const known = scheme.definitions.FuseOptionsV1.properties
    // A misspelt option would be rejected by electron-builder's validation (or do nothing).
    for (const [name, value] of Object.entries(config.electronFuses)) {
      expect(known[name]?.type, name).toBe('boolean')
      expect(typeof value, name).toBe('boolean')
    }
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true
    })
    // onlyLoadAppFromAsar and the integrity check need the app in an asar.
    expect(config.asar).toBe(true)
    // With runAsNode off, ELECTRON_RUN_AS_NODE and child_process.fork do not work in the packaged
    // app: nothing in main may rely on them (jobs are worker threads).
    for (const file of filesUnder(join(ROOT, 'src-main')).filter((f) => f.endsWith('.ts'))) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/ELECTRON_RUN_AS_NODE|\bfork\(/)
    }
  })

  it('has the icon set and the macOS entitlements it names', () => {
    const res = join(ROOT, config.directories.buildResources)
    expect(pngSize(join(res, 'icon.png'))).toEqual([1024, 1024])
    const linuxIcons = join(ROOT, config.linux.icon)
    expect(pngSize(join(linuxIcons, '512x512.png'))).toEqual([512, 512])
    expect(pngSize(join(linuxIcons, '16x16.png'))).toEqual([16, 16])
    const icns = readFileSync(join(ROOT, config.mac.icon))
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const ico = readFileSync(join(ROOT, config.win.icon))
    expect(ico.readUInt16LE(0)).toBe(0)
    expect(ico.readUInt16LE(2)).toBe(1) // type 1 = icon
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(5) // several sizes, up to 256
    for (const plist of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const text = readFileSync(join(ROOT, plist), 'utf8')
      expect(text).toMatch(/<plist version="1\.0">/)
      expect(text).toMatch(/com\.apple\.security\.cs\.allow-jit/)
    }
    expect(statSync(join(res, 'icon.svg')).size).toBeGreaterThan(0)
  })
})
