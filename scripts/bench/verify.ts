import { createHash } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeManifest, type ManifestRow } from '../../main/engine/calls/manifest.ts'
import type { BenchContext } from './download.ts'
import { bundled, measure } from './measure.ts'
import { count, mb, seconds, type Row } from './report.ts'

/**
 * f: `verify` on the folder of a 100,000-file export (2 KB each, in 100 folders as a by-date or
 * by-agent template leaves them), with its manifest. The verify runs in a fresh child so its peak
 * RSS is its own; the page cache is warm (the files were just written), so this is the CPU and
 * system-call cost per file, not the disk's.
 */

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const SIZE = 2048
const path = (i: number): string => `2026-10/agent-${String(i % 100).padStart(3, '0')}/call-${i}.wav`

function bytesOf(i: number): Buffer {
  const b = Buffer.alloc(SIZE, i & 0xff)
  b.writeUInt32LE(i, 0)
  return b
}

/** The files, 256 at a time, and the manifest, generated row by row as the lead's export feeds it. */
async function makeFolder(dir: string, n: number): Promise<void> {
  for (let d = 0; d < Math.min(n, 100); d++) await mkdir(join(dir, `2026-10/agent-${String(d).padStart(3, '0')}`), { recursive: true })
  for (let i = 0; i < n; i += 256) {
    const batch: Promise<void>[] = []
    for (let k = i; k < Math.min(n, i + 256); k++) batch.push(writeFile(join(dir, path(k)), bytesOf(k)))
    await Promise.all(batch)
  }
  await writeManifest(dir, rows(n))
}

function* rows(n: number): Generator<ManifestRow> {
  const start = Date.UTC(2026, 9, 1)
  for (let i = 0; i < n; i++) {
    const b = bytesOf(i)
    yield {
      localPath: path(i),
      fileName: `call-${i}.wav`,
      bytes: SIZE,
      sha256: createHash('sha256').update(b).digest('hex'),
      downloadedAt: new Date(start + i * 1000).toISOString(),
      verifiedBy: 'crc64',
      meta: { contactId: `job-${i}`, agentName: `坐席${i % 100}`, start: start + i * 7000, duration: 60 },
    }
  }
}

export async function benchF(ctx: BenchContext): Promise<Row[]> {
  const n = ctx.quick ? 10_000 : 100_000
  const dir = join(ctx.scratch, 'f-verify')
  try {
    const made = performance.now()
    await makeFolder(dir, n)
    ctx.log(`f  wrote ${count(n)} files of 2 KB and their manifest in ${seconds(performance.now() - made)}`)
    const child = await bundled(join(root, 'scripts/bench/verify-child.ts'))
    const m = await measure(process.execPath, [child, dir], { scratch: ctx.scratch })
    if (m.code !== 0) throw new Error(`verify child exited ${m.code}: ${m.stderr.trim()}`)
    const r = JSON.parse(m.stdout) as { ms: number; files: number; matched: number; ok: boolean }
    if (r.files !== n || r.matched !== n || !r.ok) throw new Error(`verify: ${r.files} files, ${r.matched} matched, ok ${r.ok}`)
    const rate = Math.round(n / (r.ms / 1000))
    ctx.log(`f  verified ${count(n)} files in ${seconds(r.ms)} (${count(rate)} files/s); process ${seconds(m.wallMs)}, peak RSS ${mb(m.peakRssMb)}`)
    return [
      { section: 'f', what: `verify ${count(n)} files of 2 KB (size + SHA-256)`, figure: `${seconds(r.ms)}, ${count(rate)} files/s` },
      { section: 'f', what: 'verify: peak RSS', figure: mb(m.peakRssMb) },
    ]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
