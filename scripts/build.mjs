// `npm run build`: the renderer with Vite, main and preload with esbuild, into dist/.
// `node scripts/build.mjs renderer` (or main, preload) builds only those parts.
import { build as esbuild } from 'esbuild'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build as viteBuild } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))
const wanted = new Set(process.argv.slice(2))
const want = (part) => wanted.size === 0 || wanted.has(part)

// Electron 45: Chromium 142, Node 22.
const CHROME = 'chrome140'
const NODE = 'node22'

async function buildRenderer() {
  await viteBuild({ configFile: `${root}renderer/vite.config.ts`, logLevel: 'warn' })
  console.log('built dist/renderer/')
}

/** Main is ESM and keeps the production dependencies in node_modules, which the packaged app ships. */
async function buildMain() {
  const entry = `${root}main/electron/main.ts`
  if (!existsSync(entry)) {
    console.warn(`warning: ${entry} does not exist yet; dist/main/main.js not built`)
    return
  }
  await esbuild({
    entryPoints: [entry],
    outfile: `${root}dist/main/main.js`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: NODE,
    sourcemap: true,
    external: ['electron', ...Object.keys(pkg.dependencies ?? {})],
    logLevel: 'warning',
  })
  console.log('built dist/main/main.js')
}

/** A sandboxed preload can require only 'electron' (and a few shims): bundle the rest, as CommonJS. */
async function buildPreload() {
  await esbuild({
    entryPoints: [`${root}main/preload/preload.ts`],
    outfile: `${root}dist/preload/preload.cjs`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: [CHROME, NODE],
    sourcemap: true,
    minify: true,
    external: ['electron'],
    logLevel: 'warning',
  })
  console.log('built dist/preload/preload.cjs')
}

if (want('renderer')) await buildRenderer()
if (want('main')) await buildMain()
if (want('preload')) await buildPreload()
