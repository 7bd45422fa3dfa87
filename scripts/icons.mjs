#!/usr/bin/env node
// Rasterises resources/icon.svg into the icon set electron-builder packages: icon.png (1024),
// icons/<n>x<n>.png for Linux, icon.icns (macOS) and icon.ico (Windows). The outputs are committed;
// run `node scripts/icons.mjs` again after changing the SVG.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Resvg } from '@resvg/resvg-js'
import png2icons from 'png2icons'

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources')
const svg = readFileSync(join(dir, 'icon.svg'))
const render = (size) => new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng()

const master = render(1024)
writeFileSync(join(dir, 'icon.png'), master)
mkdirSync(join(dir, 'icons'), { recursive: true })
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  writeFileSync(join(dir, 'icons', `${size}x${size}.png`), render(size))
}
const icns = png2icons.createICNS(master, png2icons.BICUBIC, 0)
const ico = png2icons.createICO(master, png2icons.BICUBIC, 0, false, true)
if (!icns || !ico) throw new Error('png2icons could not convert resources/icon.png')
writeFileSync(join(dir, 'icon.icns'), icns)
writeFileSync(join(dir, 'icon.ico'), ico)
process.stdout.write(`icons written to ${dir}\n`)
