// Draws the app icon and writes every file the installers need, so electron-builder never converts
// an icon (its converter is a tool it downloads, which these machines cannot):
//   build/icon.png (1024 px source), build/icon.icns (macOS), build/icon.ico (Windows),
//   build/icons/<n>x<n>.png (Linux: AppImage and deb take the set as is).
//
//   node build/make-icons.mjs [outDir]     (default: the folder this script is in)
//
// Plain Node (zlib only). The output is a pure function of this file: re-running it gives the same
// bytes, which test/build/icons.test.ts checks.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const here = path.dirname(fileURLToPath(import.meta.url))
const outDir = path.resolve(process.argv[2] ?? here)

// ---- drawing: signed distances in a unit square, y down; one pixel of anti-aliasing ----

const TOP = [0x2b, 0x8c, 0xff]
const BOTTOM = [0x17, 0x4e, 0xd6]

function roundedBox(x, y, half, radius) {
  const qx = Math.abs(x - 0.5) - half + radius
  const qy = Math.abs(y - 0.5) - half + radius
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius
}

function capsule(x, y, ax, ay, bx, by, r) {
  const px = x - ax
  const py = y - ay
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)))
  return Math.hypot(px - dx * t, py - dy * t) - r
}

/** A sound wave whose tallest bar runs down into an arrow, over a tray: "recordings, downloaded". */
function glyph(x, y) {
  const r = 0.028
  const bars = [
    [0.245, 0.05],
    [0.33, 0.1],
    [0.415, 0.15],
    [0.585, 0.15],
    [0.67, 0.1],
    [0.755, 0.05],
  ]
  let d = Infinity
  for (const [bx, h] of bars) d = Math.min(d, capsule(x, y, bx, 0.38 - h, bx, 0.38 + h, r))
  d = Math.min(d, capsule(x, y, 0.5, 0.18, 0.5, 0.7, r))
  d = Math.min(d, capsule(x, y, 0.425, 0.625, 0.5, 0.7, r))
  d = Math.min(d, capsule(x, y, 0.575, 0.625, 0.5, 0.7, r))
  d = Math.min(d, capsule(x, y, 0.3, 0.8, 0.7, 0.8, r))
  return d
}

function render(size) {
  // Small icons fill their square (no room to waste on a margin); large ones follow the macOS grid
  // (an 824/1024 body), which also reads well on Windows and Linux.
  const half = size <= 64 ? 0.47 : 0.4023
  const radius = size <= 64 ? 0.2 : 0.18
  const px = new Uint8Array(size * size * 4)
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5) / size
      const y = (j + 0.5) / size
      const body = Math.max(0, Math.min(1, 0.5 - roundedBox(x, y, half, radius) * size))
      if (body === 0) continue
      const ink = Math.max(0, Math.min(1, 0.5 - glyph(x, y) * size))
      const t = Math.max(0, Math.min(1, (y - (0.5 - half)) / (2 * half)))
      const o = (j * size + i) * 4
      for (let c = 0; c < 3; c++) {
        const bg = TOP[c] + (BOTTOM[c] - TOP[c]) * t
        px[o + c] = Math.round(bg + (255 - bg) * ink)
      }
      px[o + 3] = Math.round(255 * body)
    }
  }
  return px
}

// ---- containers ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

function png(size) {
  const rgba = render(size)
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let j = 0; j < size; j++) {
    raw[j * (size * 4 + 1)] = 0 // filter: none
    Buffer.from(rgba.buffer, j * size * 4, size * 4).copy(raw, j * (size * 4 + 1) + 1)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** ICO with PNG-compressed entries (Windows Vista and later); 0 in the size bytes means 256. */
function ico(images) {
  const head = Buffer.alloc(6 + 16 * images.length)
  head.writeUInt16LE(1, 2)
  head.writeUInt16LE(images.length, 4)
  let offset = head.length
  images.forEach(([size, data], k) => {
    const e = 6 + 16 * k
    head[e] = size >= 256 ? 0 : size
    head[e + 1] = size >= 256 ? 0 : size
    head.writeUInt16LE(1, e + 4) // planes
    head.writeUInt16LE(32, e + 6) // bits per pixel
    head.writeUInt32LE(data.length, e + 8)
    head.writeUInt32LE(offset, e + 12)
    offset += data.length
  })
  return Buffer.concat([head, ...images.map(([, data]) => data)])
}

/** ICNS with PNG entries, one per OSType (16 to 1024 px, 1x and 2x). */
function icns(entries) {
  const parts = entries.map(([type, data]) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(data.length + 8, 4)
    return Buffer.concat([head, data])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4)
  return Buffer.concat([head, ...parts])
}

const pngs = new Map()
const at = (size) => {
  if (!pngs.has(size)) pngs.set(size, png(size))
  return pngs.get(size)
}

mkdirSync(path.join(outDir, 'icons'), { recursive: true })
writeFileSync(path.join(outDir, 'icon.png'), at(1024))
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  writeFileSync(path.join(outDir, 'icons', `${size}x${size}.png`), at(size))
}
writeFileSync(path.join(outDir, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((s) => [s, at(s)])))
writeFileSync(
  path.join(outDir, 'icon.icns'),
  icns([
    ['icp4', at(16)],
    ['icp5', at(32)],
    ['icp6', at(64)],
    ['ic07', at(128)],
    ['ic08', at(256)],
    ['ic09', at(512)],
    ['ic10', at(1024)],
    ['ic11', at(32)],
    ['ic12', at(64)],
    ['ic13', at(256)],
    ['ic14', at(512)],
  ]),
)
console.log(`icons written to ${outDir}`)
