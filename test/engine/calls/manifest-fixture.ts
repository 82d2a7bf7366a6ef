import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { crc64 } from '../../../main/engine/download/crc64.ts'
import { type ManifestRow, writeManifest } from '../../../main/engine/calls/manifest.ts'

export const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'ccc-manifest-'))

/** The bytes of recording `i`: distinct per file, `size` long. */
export function recordingBytes(i: number, size = 64): Buffer {
  const b = Buffer.alloc(size)
  for (let k = 0; k < size; k++) b[k] = (i * 31 + k * 7) & 0xff
  b.writeUInt32LE(i, 0)
  return b
}

export function rowFor(localPath: string, bytes: Buffer, i: number): ManifestRow {
  return {
    localPath,
    fileName: localPath.split('/').pop()!,
    bytes: bytes.length,
    crc64: crc64(bytes),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    downloadedAt: '2026-03-01T01:30:00.000Z',
    verifiedBy: 'crc64',
    meta: { contactId: `job-${i}`, agentName: '张三', start: Date.UTC(2026, 2, 1, 1, 0, i % 60) },
  }
}

/**
 * An export folder as the runner leaves it: `n` recordings under `2026-03/<agent>/`, and the
 * manifest listing them. Rows are generated, never held as an array.
 */
export async function makeFolder(n: number, size = 64): Promise<string> {
  const dir = await tempDir()
  const path = (i: number) => `2026-03/agent-${i % 10}/rec-${i}.wav`
  for (let i = 0; i < n; i += 200) {
    const batch = []
    for (let k = i; k < Math.min(n, i + 200); k++) batch.push(put(dir, path(k), recordingBytes(k, size)))
    await Promise.all(batch)
  }
  await writeManifest(dir, (function* () {
    for (let i = 0; i < n; i++) yield rowFor(path(i), recordingBytes(i, size), i)
  })())
  return dir
}

export async function put(dir: string, rel: string, bytes: Buffer | string): Promise<void> {
  await mkdir(dirname(join(dir, rel)), { recursive: true })
  await writeFile(join(dir, rel), bytes)
}
