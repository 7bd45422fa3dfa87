import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

const root = import.meta.dirname

/** package version + git commit (+ "-dirty"), recorded in results and certificates. */
function codeVersion(): string {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }
  try {
    const git = (args: string[]): string =>
      execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim()
    const sha = git(['rev-parse', '--short=12', 'HEAD'])
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) === '' ? '' : '-dirty'
    return `${pkg.version}+${sha}${dirty}`
  } catch {
    return pkg.version
  }
}

export default defineConfig({
  main: {
    define: { __LAKEBOOK_VERSION__: JSON.stringify(codeVersion()) },
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        // One bundle per plain-Node entry; the job worker is emitted through `?modulePath`.
        input: {
          index: resolve(root, 'src-main/app/main.ts'),
          cli: resolve(root, 'src-main/cli/main.ts'),
          host: resolve(root, 'src-main/host/main.ts')
        }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require nothing but electron: bundle everything it uses.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        // A sandboxed renderer only runs a CommonJS preload.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: {
        input: {
          index: resolve(root, 'src-renderer/index.html'),
          // The browser host's stand-in for the preload: same API, carried over a WebSocket.
          bridge: resolve(root, 'src-preload/web.ts')
        },
        output: {
          entryFileNames: (chunk) =>
            chunk.name === 'bridge' ? 'bridge.js' : 'assets/[name]-[hash].js'
        }
      }
    }
  }
})
