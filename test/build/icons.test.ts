import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuilderConfig, configPath, convertIcon, loadConfig, root, run } from './builder-internals.ts'

let config: BuilderConfig
let work: string

beforeAll(async () => {
  config = await loadConfig(configPath)
  work = await mkdtemp(join(tmpdir(), 'ccc-icons-'))
})

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

const iconOf = (platform: 'mac' | 'win' | 'linux') => (config[platform] as { icon: string }).icon

/**
 * electron-builder converts an icon with a tool it downloads; icons that are already in the target
 * format come back as they are. So these must return our own files, or the release build would
 * depend on one more download (and this test, here, on the internet).
 */
describe('icons', () => {
  it('Windows: an .ico up to 256 px, used as is', async () => {
    const out = await convertIcon({ sources: [iconOf('win')], fallbackSources: [], roots: [root], format: 'ico', outDir: work })
    expect(out.icons).toEqual([{ file: join(root, 'build/icon.ico'), size: 256 }])
  })

  it('macOS: an .icns with every size up to 1024 px, used as is', async () => {
    const out = await convertIcon({ sources: [iconOf('mac')], fallbackSources: [], roots: [root], format: 'icns', outDir: work })
    expect(out.icons.map((i) => i.file)).toEqual([join(root, 'build/icon.icns')])
    const icns = await readFile(join(root, 'build/icon.icns'))
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const types: string[] = []
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) types.push(icns.subarray(at, at + 4).toString('ascii'))
    expect(types).toEqual(expect.arrayContaining(['ic07', 'ic08', 'ic09', 'ic10', 'ic11', 'ic12', 'ic13', 'ic14']))
  })

  it('Linux: a set of PNGs from 16 to 512 px, used as is', async () => {
    const out = await convertIcon({ sources: [iconOf('linux')], fallbackSources: [], roots: [root], format: 'set', outDir: work })
    expect(out.icons.map((i) => i.size)).toEqual([16, 32, 48, 64, 128, 256, 512])
    for (const icon of out.icons) {
      expect(icon.file).toBe(join(root, `build/icons/${icon.size}x${icon.size}.png`))
      const png = await readFile(icon.file)
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([icon.size, icon.size])
    }
  })

  it('are what build/make-icons.mjs draws (run it after changing the drawing)', async () => {
    const fresh = join(work, 'fresh')
    await run(process.execPath, [join(root, 'build/make-icons.mjs'), fresh])
    const files = ['icon.png', 'icon.ico', 'icon.icns', ...(await readdir(join(fresh, 'icons'))).map((f) => `icons/${f}`)]
    for (const file of files) {
      const [made, committed] = await Promise.all([readFile(join(fresh, file)), readFile(join(root, 'build', file))])
      expect(decoded(made), file).toEqual(decoded(committed))
    }
  })
})

/**
 * An icon file as pixels: zlib's output differs between builds of zlib (and CPU features), so the
 * files are compared by what they show, entry by entry.
 */
function decoded(file: Buffer): string[] {
  const pngPixels = (png: Buffer): string => {
    const idat: Buffer[] = []
    let header = ''
    for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) {
      const type = png.subarray(at + 4, at + 8).toString('ascii')
      const data = png.subarray(at + 8, at + 8 + png.readUInt32BE(at))
      if (type === 'IHDR') header = data.toString('hex')
      if (type === 'IDAT') idat.push(data)
    }
    return `${header}:${createHash('sha256').update(inflateSync(Buffer.concat(idat))).digest('hex')}`
  }
  if (file.subarray(1, 4).toString('ascii') === 'PNG') return [pngPixels(file)]
  const out: string[] = []
  if (file.subarray(0, 4).toString('ascii') === 'icns') {
    for (let at = 8; at < file.length; at += file.readUInt32BE(at + 4)) {
      out.push(`${file.subarray(at, at + 4).toString('ascii')}=${pngPixels(file.subarray(at + 8, at + file.readUInt32BE(at + 4)))}`)
    }
    return out
  }
  // ICO: a directory of (width, height, …, bytes, offset) entries, each a PNG here.
  for (let k = 0; k < file.readUInt16LE(4); k++) {
    const e = 6 + 16 * k
    const png = file.subarray(file.readUInt32LE(e + 12), file.readUInt32LE(e + 12) + file.readUInt32LE(e + 8))
    out.push(`${file[e]}x${file[e + 1]}=${pngPixels(png)}`)
  }
  return out
}
