#!/usr/bin/env node
// The `lakebook` command: runs the built CLI (npm ci builds it; otherwise `npm run build`).
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('lakebook: not built yet; run `npm run build` in the lakebook folder\n')
  process.exit(2)
}
await import(pathToFileURL(cli).href)
