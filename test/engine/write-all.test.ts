import { execFile } from 'node:child_process'
import { mkdtemp, open, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeAll } from '../../main/engine/write-all.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'write-all-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('writeAll', () => {
  it('writes text and bytes whole, at a position or at the end of a file opened to append', async () => {
    const file = join(dir, 'f')
    const fh = await open(file, 'a+')
    await writeAll(fh, '录音 ')
    await writeAll(fh, new Uint8Array([0x61, 0x62]))
    await fh.close()
    const rw = await open(file, 'r+')
    await writeAll(rw, 'XYZ', 0)
    await rw.close()
    expect(await readFile(file, 'utf8')).toBe('XYZ\u97f3 ab')
  })

  // A real short write, not a stand-in: under `ulimit -f` (20 or 40 KB, after the shell) the kernel takes what fits, returns
  // the short count, and refuses the next write, as a disk filling up mid-write does.
  it('makes a write past a full disk fail, where one write(2) reported success for half the text', async () => {
    const child = join(import.meta.dirname, 'short-write-child.ts')
    const { stdout } = await promisify(execFile)('sh', ['-c', 'ulimit -f 40 && exec "$0" --import tsx "$1" "$2"', process.execPath, child, dir])
    const r = JSON.parse(stdout) as { flushed: string; namesReplayed: number; damaged: number; replaced: string; report: string; files: string[] }
    // The journal's flush says it failed (the export pauses or stops), instead of resolving with
    // part of its lines on disk; what did land replays as whole lines.
    expect(r.flushed).toBe('Local.WriteFailed')
    expect(r.namesReplayed).toBeLessThan(2_500)
    expect(r.damaged).toBeLessThanOrEqual(1)
    // The report is not replaced by a cut-off copy, and its temp file is gone.
    expect(r.replaced).toBe('EFBIG')
    expect(r.report).toBe('the old report\n')
    expect(r.files).toEqual(['.ccc-recordings', 'report.csv'])
  })
})
