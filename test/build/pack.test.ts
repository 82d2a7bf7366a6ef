/**
 * Packs the app as the release workflow does, minus what needs the internet: `--linux dir` against a
 * stand-in Electron folder (a shell script carrying a fuse wire, a version file, a few locale files),
 * with empty download caches. Then looks inside app.asar.
 *
 * Linux only: the release workflow runs it in its Linux job; on the Windows and macOS runners the real
 * packagers run right after the tests anyway.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SIGNED_BUILD_FIELD, isSignedBuild } from '../../main/electron/updater.ts'
import { titled } from '../requirement.ts'
import { asar, electronBuilderCli, fuses, root, run, SENTINEL, yaml } from './builder-internals.ts'

// Measured at 10.1 MB: app.asar 6.7 MB (zod 2.3, csv-parse 1.5, undici 1.3, fflate, iconv-lite, the
// bundles and the UI) and app.asar.unpacked 3.5 MB (the keychain's native module, which must live
// outside the asar). 13 MB is about 30 % above that: room for the features still to come, none for an
// accidentally packed dev dependency (Svelte alone is 3 MB, esbuild 10 MB, TypeScript 23 MB). The
// Windows and macOS builds carry the native module for two architectures (+3.5 MB); this packs Linux x64.
const SIZE_BUDGET = 13_000_000

// The CLI runs TypeScript through tsx; the desktop app runs the bundle (electron-builder.yml).
const CLI_ONLY = ['tsx', 'esbuild', '@esbuild']

const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  version: string
  main: string
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}
const electronVersion = (
  JSON.parse(await readFile(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version

/**
 * What electron-builder needs from an unpacked Electron: the `electron` binary (renamed to the app's
 * executable; this one carries Electron's fuse wire with its default states, for @electron/fuses to
 * flip), `version`, and `locales/` (pruned to electronLanguages). No resources/default_app.asar.
 */
async function makeStandInElectron(dir: string): Promise<string> {
  await mkdir(join(dir, 'locales'), { recursive: true })
  // V1 wire, 8 fuses, Electron's defaults: run-as-node on, cookie encryption off, NODE_OPTIONS on,
  // inspect on, asar integrity off, only-asar off, browser V8 snapshot off, file:// privileges on.
  const wire = Buffer.concat([Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, 8]), Buffer.from('10110001', 'ascii')])
  const script = Buffer.from('#!/bin/sh\n# stand-in for the Electron binary\nexit 0\n', 'ascii')
  await writeFile(join(dir, 'electron'), Buffer.concat([script, wire, Buffer.from('\n')]), { mode: 0o755 })
  await writeFile(join(dir, 'version'), electronVersion)
  await writeFile(join(dir, 'LICENSE'), 'stand-in')
  for (const locale of ['en-US', 'zh-CN', 'zh-TW', 'fr', 'ja']) await writeFile(join(dir, 'locales', `${locale}.pak`), '')
  return dir
}

async function folderSize(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}

/** Package names a bundle loads at run time: import statements, dynamic imports, requires. */
function importedPackages(code: string): Set<string> {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([@\w][\w./@-]*)["']\s*\)/g,
    /\brequire\(\s*["']([@\w][\w./@-]*)["']\s*\)/g,
  ]
  const names = new Set<string>()
  for (const pattern of patterns) {
    for (const m of code.matchAll(pattern)) {
      const s = m[1] ?? ''
      if (s.startsWith('.') || s.startsWith('/') || s.startsWith('node:') || builtinModules.includes(s)) continue
      const name = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] ?? s)
      if (name !== 'electron') names.add(name)
    }
  }
  // The updater loads electron-updater through a variable specifier (main/electron/updater.ts).
  if (code.includes('electron-updater')) names.add('electron-updater')
  return names
}

const linux = process.platform === 'linux'

// The stand-in Electron is a shell script; CI packs and launches the real app on every OS (test/shell).
describe.skipIf(!linux)(titled('the packed app (--linux dir, stand-in Electron)', linux ? null : 'packs with a Linux stand-in Electron: Linux only'), () => {
  let work: string
  let unpacked: string
  let archive: string
  let entries: string[]
  let has: (p: string) => boolean

  beforeAll(async () => {
    await run(process.execPath, [join(root, 'scripts/build.mjs')])
    work = await mkdtemp(join(tmpdir(), 'ccc-pack-'))
    const electronDist = await makeStandInElectron(join(work, 'electron'))
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // Empty caches: anything electron-builder wanted to download would have to be fetched, and
      // these machines cannot. The pack needs nothing from the network.
      ELECTRON_CACHE: join(work, 'cache/electron'),
      ELECTRON_BUILDER_CACHE: join(work, 'cache/builder'),
      CSC_IDENTITY_AUTO_DISCOVERY: 'false',
    }
    delete env.GH_TOKEN
    delete env.GITHUB_TOKEN
    await run(
      process.execPath,
      [
        electronBuilderCli,
        '--linux',
        'dir',
        '--projectDir',
        root,
        '--publish',
        'never',
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${join(work, 'out')}`,
        // As the release workflow passes them.
        '-c.publish.owner=example-owner',
        '-c.publish.repo=example-repo',
        `-c.extraMetadata.${SIGNED_BUILD_FIELD}=true`,
      ],
      { env },
    )
    unpacked = join(work, 'out/linux-unpacked')
    archive = join(unpacked, 'resources/app.asar')
    entries = asar.listPackage(archive, { isPack: false }).map((e) => e.replaceAll('\\', '/').replace(/^\//, ''))
    const set = new Set(entries)
    has = (p) => set.has(p)
  }, 180_000)

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('holds the built main, preload and renderer', async () => {
    for (const file of ['dist/main/main.js', 'dist/preload/preload.cjs', 'dist/renderer/index.html', 'package.json']) {
      expect(has(file), file).toBe(true)
    }
    // The very files `npm run build` just wrote, not stale ones.
    expect(asar.extractFile(archive, 'dist/main/main.js').equals(await readFile(join(root, 'dist/main/main.js')))).toBe(true)
    const html = asar.extractFile(archive, 'dist/renderer/index.html').toString('utf8')
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => `dist/renderer/${m[1]}`)
    expect(assets.length).toBeGreaterThan(0)
    for (const asset of assets) expect(has(asset), asset).toBe(true)
  })

  it('holds nothing but dist/{main,preload,renderer}, node_modules and package.json', () => {
    const top = new Set(entries.map((e) => e.split('/')[0]))
    expect([...top].sort()).toEqual(['dist', 'node_modules', 'package.json'])
    const dist = new Set(entries.filter((e) => e.startsWith('dist/')).map((e) => e.split('/')[1]))
    expect([...dist].sort()).toEqual(['main', 'preload', 'renderer'])
  })

  it('holds no sources, typings or source maps', () => {
    expect(entries.filter((e) => /\.(ts|mts|cts|svelte|map)$/.test(e))).toEqual([])
  })

  it('holds the production dependencies and none of the development ones', () => {
    for (const dep of Object.keys(pkg.dependencies).filter((d) => !CLI_ONLY.includes(d))) {
      expect(has(`node_modules/${dep}/package.json`), dep).toBe(true)
    }
    for (const dep of ['p-queue', 'csv-parse', '@napi-rs/keyring']) expect(has(`node_modules/${dep}/package.json`), dep).toBe(true)
    const packed = (name: string) => entries.some((e) => e === `node_modules/${name}` || e.startsWith(`node_modules/${name}/`))
    for (const dep of [...Object.keys(pkg.devDependencies), ...CLI_ONLY]) expect(packed(dep), dep).toBe(false)
    for (const dep of ['vitest', 'electron', 'svelte', 'typescript', 'vite']) expect(packed(dep), dep).toBe(false)
  })

  it('holds every package the main bundle loads', () => {
    const code = asar.extractFile(archive, 'dist/main/main.js').toString('utf8')
    for (const name of importedPackages(code)) expect(has(`node_modules/${name}/package.json`), name).toBe(true)
  })

  it('keeps the native keychain module outside the asar, where it can be loaded', async () => {
    const nativeDir = join(unpacked, 'resources/app.asar.unpacked/node_modules/@napi-rs')
    const natives = (await readdir(nativeDir, { recursive: true })).filter((f) => String(f).endsWith('.node'))
    expect(natives.length).toBeGreaterThan(0)
  })

  it('carries a manifest without scripts or dev dependencies, marked as the workflow marks it', () => {
    const manifest = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as Record<string, unknown>
    expect(manifest.main).toBe(pkg.main)
    expect(has(pkg.main)).toBe(true)
    expect(manifest.version).toBe(pkg.version)
    expect(manifest.scripts).toBeUndefined()
    expect(manifest.devDependencies).toBeUndefined()
    // The updater's switch: on here, off in the source manifest (and so in any build without the flag).
    expect(isSignedBuild(manifest)).toBe(true)
    expect(isSignedBuild(pkg)).toBe(false)
  })

  it('flips the fuses in the executable', async () => {
    const wire = await fuses.getCurrentFuseWire(join(unpacked, 'ccc-recordings'))
    const state = (name: string) => String.fromCharCode(Number(wire[String(fuses.FuseV1Options[name])]))
    expect(state('RunAsNode')).toBe('0')
    expect(state('EnableNodeOptionsEnvironmentVariable')).toBe('0')
    expect(state('EnableNodeCliInspectArguments')).toBe('0')
    expect(state('EnableEmbeddedAsarIntegrityValidation')).toBe('1')
    expect(state('OnlyLoadAppFromAsar')).toBe('1')
    // Left at Electron's default on purpose (electron-builder.yml says why).
    expect(state('GrantFileProtocolExtraPrivileges')).toBe('1')
  })

  it("keeps only Chromium's Chinese and English locales", async () => {
    expect((await readdir(join(unpacked, 'locales'))).sort()).toEqual(['en-US.pak', 'zh-CN.pak', 'zh-TW.pak'])
  })

  it('points the installed app at the GitHub repository it was published from', async () => {
    const feed = yaml.load(await readFile(join(unpacked, 'resources/app-update.yml'), 'utf8'))
    expect(feed).toMatchObject({ provider: 'github', owner: 'example-owner', repo: 'example-repo' })
  })

  it('stays under the size budget', async () => {
    const size = (await stat(archive)).size + (await folderSize(join(unpacked, 'resources/app.asar.unpacked')))
    expect(size).toBeLessThan(SIZE_BUDGET)
  })

  it('wrote nothing into the project', () => {
    expect(existsSync(join(root, 'release'))).toBe(false)
  })
})
