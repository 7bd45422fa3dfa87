import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

// Test projects by runtime: shared (pure), engine (main process code under plain Node, Electron
// mocked), renderer (pure UI modules), e2e (the built app in Debian Chromium via the browser host).
// Every test (and every process it starts) reads an empty user settings folder of its own, never
// the settings of the person running the tests.
const env = { LAKEBOOK_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'lakebook-test-config-')) }

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: one file at a time on a 2-core machine.
    // Most files wait on child processes (the CLI, the host, Python, Chromium) much of the time,
    // so two at once: 1.4× faster on the export and CLI files. Browser files still run one at a
    // time (fileParallelism below), beside the engine's.
    maxWorkers: 2,
    projects: [
      { test: { name: 'shared', include: ['test/shared/**/*.test.ts'], environment: 'node', env } },
      {
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 120_000,
          hookTimeout: 120_000
        }
      },
      {
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.ts'],
          environment: 'node',
          env
        }
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false
        }
      }
    ]
  }
})
