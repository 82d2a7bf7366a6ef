#!/usr/bin/env node
// The CLI runs from the TypeScript sources, so a checkout works after `npm install` with no build
// step (`npx ccc-recordings …`). The first run (and the first after any source changes) bundles
// them with esbuild, which tsx brings, into dist/cli/; later runs start from that bundle, which
// takes half the time and about 35 MB less memory than compiling through tsx's loader on every
// start (docs/performance.md). When that cannot be done (no esbuild, a read-only folder) or
// CCC_RECORDINGS_TSX=1 is set, the CLI runs through tsx as before.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { setFlagsFromString } from 'node:v8'

// An export streams hundreds of MB through short-lived objects while keeping ~150 bytes a file:
// V8's defaults for a machine with plenty of memory let the young generation grow to 32 MB and the
// old one to up to four times what is live, and that slack is garbage, not data. A young
// generation that stays small (cheap to collect: almost nothing in it survives) and an old one
// allowed 1.75 times what is live keep a 100,000-file export near 130 MB instead of 230 MB, for
// about 5% more CPU (docs/performance.md). Both are heuristics V8 reads as it goes, so setting
// them here, before anything is allocated, works.
setFlagsFromString('--semi-space-growth-factor=1')
setFlagsFromString('--heap-growing-percent=75')

const root = fileURLToPath(new URL('..', import.meta.url))
const entry = `${root}main/cli/ccc-recordings.ts`
// Two folders below the root, as the entry is: its `../../package.json` still finds the version.
const bundle = `${root}dist/cli/ccc-recordings.mjs`
const manifest = `${bundle}.inputs.json`

/** The bundle is current when every source it was built from is as it was then. */
function current() {
  try {
    statSync(bundle)
    const { inputs } = JSON.parse(readFileSync(manifest, 'utf8'))
    for (const [file, mtimeMs, size] of inputs) {
      const s = statSync(`${root}${file}`, { throwIfNoEntry: false })
      if (!s || s.mtimeMs !== mtimeMs || s.size !== size) return false
    }
    return true
  } catch {
    return false
  }
}

async function rebuild() {
  const { build } = await import('esbuild')
  const started = Date.now()
  // Per process: two CLIs starting at once each build, and the last rename wins whole.
  const temp = `${bundle}.${process.pid}.tmp`
  mkdirSync(`${root}dist/cli`, { recursive: true })
  const result = await build({
    entryPoints: [entry],
    outfile: temp,
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  })
  const inputs = []
  let edited = false
  for (const file of Object.keys(result.metafile.inputs)) {
    const s = statSync(`${root}${file}`)
    // Edited while being bundled: use this bundle once, build again next time.
    if (s.mtimeMs >= started) edited = true
    inputs.push([file, s.mtimeMs, s.size])
  }
  renameSync(temp, bundle)
  if (edited) rmSync(manifest, { force: true })
  else {
    writeFileSync(`${manifest}.${process.pid}.tmp`, JSON.stringify({ inputs }))
    renameSync(`${manifest}.${process.pid}.tmp`, manifest)
  }
}

async function load() {
  if (process.env.CCC_RECORDINGS_TSX !== '1') {
    try {
      if (!current()) await rebuild()
      return await import(pathToFileURL(bundle).href)
    } catch {
      // fall through to tsx
    }
  }
  const { register } = await import('tsx/esm/api')
  register()
  return import('../main/cli/ccc-recordings.ts')
}

const { run } = await load()
await run()
