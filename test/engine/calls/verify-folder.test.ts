import { appendFile, mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readLastVerified } from '../../../main/engine/calls/last-verified.ts'
import { writeManifest, writeSidecarJson } from '../../../main/engine/calls/manifest.ts'
import { verifyFolder, type VerifyProblem } from '../../../main/engine/calls/verify-folder.ts'
import { makeFolder, put, recordingBytes, rowFor, tempDir } from './manifest-fixture.ts'

const dirs: string[] = []
const folder = async (n: number, size?: number) => {
  const d = await makeFolder(n, size)
  dirs.push(d)
  return d
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

describe('verifyFolder', () => {
  it('passes a folder whose files all match, ignoring our own and partial files, and records it', async () => {
    const out = await folder(30)
    await put(out, 'report.csv', 'x')
    // A dry run into the folder first, as one does before the export.
    await put(out, 'dry-run.csv', 'x')
    // Temp files a crash mid-rewrite leaves: this build's own names, and older builds' ones.
    await put(out, '.manifest.csv.4242.0123456789ab.tmp', 'half')
    await put(out, 'report.csv.tmp', 'half')
    await put(out, '.ccc-recordings/journal.jsonl', '{}\n')
    await put(out, '2026-03/agent-1/next.wav.part', 'partial')
    await put(out, '2026-03/agent-1/next.wav.part.etag', 'etag')
    await writeSidecarJson(out, rowFor('2026-03/agent-1/rec-1.wav', recordingBytes(1), 1))
    const progress: number[] = []
    const r = await verifyFolder(out, { onProgress: (p) => progress.push(p.files) })
    expect(r).toMatchObject({ ok: true, files: 30, matched: 30, missing: 0, changed: 0, unexpected: 0, damagedLines: 0, bytes: 30 * 64 })
    expect(r.problems).toEqual([])
    expect(progress.at(-1)).toBe(30)
    expect(await readLastVerified(out)).toEqual({ at: r.at, ok: true, files: 30, missing: 0, changed: 0, unexpected: 0 })
  })

  it('leaves a subfolder holding an export of its own to that export (the app\'s per-range folders)', async () => {
    const out = await folder(5)
    await put(out, '2026-12-01_2026-12-04/.ccc-recordings/journal.jsonl', '{}\n')
    await put(out, '2026-12-01_2026-12-04/report.csv', 'x')
    await put(out, '2026-12-01_2026-12-04/2026/12/01/a.wav', 'the inner export\'s')
    // A folder that merely looks like one (a file named like the state folder) is still ours to check.
    await put(out, 'other/.ccc-recordings', 'a file, not a state folder')
    const r = await verifyFolder(out)
    expect(r).toMatchObject({ ok: false, files: 5, matched: 5, unexpected: 1 })
    expect(r.problems).toEqual([{ kind: 'unexpected', path: 'other/.ccc-recordings' }])
  })

  it('names a file altered in place (same size), a deleted one and an extra one', async () => {
    const out = await folder(20)
    const altered = '2026-03/agent-3/rec-3.wav'
    const bytes = recordingBytes(3)
    bytes[40] = bytes[40]! ^ 1
    await writeFile(join(out, altered), bytes)
    await unlink(join(out, '2026-03/agent-5/rec-5.wav'))
    await put(out, '2026-03/agent-5/intruder.wav', 'not ours')
    const seen: VerifyProblem[] = []
    const r = await verifyFolder(out, { onProblem: (p) => seen.push(p) })
    expect(r).toMatchObject({ ok: false, files: 20, matched: 18, changed: 1, missing: 1, unexpected: 1 })
    expect(seen).toHaveLength(3)
    expect(seen).toEqual(
      expect.arrayContaining([
        { kind: 'changed', path: altered, why: 'sha256' },
        { kind: 'missing', path: '2026-03/agent-5/rec-5.wav' },
        { kind: 'unexpected', path: '2026-03/agent-5/intruder.wav' },
      ]),
    )
    expect(r.problems).toEqual(seen)
    expect(await readLastVerified(out)).toMatchObject({ ok: false, missing: 1, changed: 1, unexpected: 1 })
  })

  it('tells a size change, a folder in place of a file, and a damaged manifest line', async () => {
    const out = await folder(4)
    await appendFile(join(out, '2026-03/agent-0/rec-0.wav'), 'more')
    await unlink(join(out, '2026-03/agent-1/rec-1.wav'))
    await mkdir(join(out, '2026-03/agent-1/rec-1.wav'))
    await appendFile(join(out, 'manifest.jsonl'), '{"localPath":"../../etc/passwd","fileName":"p","bytes":1,"meta":{}}\nnot json\n')
    const r = await verifyFolder(out)
    expect(r.problems).toEqual(
      expect.arrayContaining([
        { kind: 'changed', path: '2026-03/agent-0/rec-0.wav', why: 'size', detail: '68 bytes, the manifest says 64' },
        { kind: 'changed', path: '2026-03/agent-1/rec-1.wav', why: 'not-a-file' },
        { kind: 'damaged', line: 5 },
        { kind: 'damaged', line: 6 },
      ]),
    )
    expect(r).toMatchObject({ ok: false, changed: 2, damagedLines: 2, unexpected: 0 })
  })

  it('checks a row from before SHA-256 by its CRC-64, and one with neither by size', async () => {
    const out = await tempDir()
    dirs.push(out)
    const a = recordingBytes(1)
    const b = recordingBytes(2)
    await put(out, 'a.wav', a)
    await put(out, 'b.wav', b)
    const { sha256: _a, ...oldA } = rowFor('a.wav', a, 1)
    const { sha256: _b, crc64: _c, ...oldB } = rowFor('b.wav', b, 2)
    await writeManifest(out, [oldA, oldB])
    expect(await verifyFolder(out)).toMatchObject({ ok: true, matched: 2, sizeOnly: 1 })
    a[10] = a[10]! ^ 0xff
    await writeFile(join(out, 'a.wav'), a)
    expect((await verifyFolder(out)).problems).toEqual([{ kind: 'changed', path: 'a.wav', why: 'crc64' }])
  })

  it('names the export’s own unfinished files unrecorded, and a failed one’s file unexpected, recording both', async () => {
    const out = await tempDir()
    dirs.push(out)
    const header = { type: 'export', version: 1, id: 'x', createdAt: '2026-12-04T00:00:00Z', instanceId: 'i', source: { kind: 'names' }, options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null } }
    const lines = [header, { type: 'add', names: ['queued.wav', 'failed.wav'] }, { type: 'fail', name: 'failed.wav', code: 'NotExist.Record', message: 'gone', attempts: 1 }]
    await put(out, '.ccc-recordings/journal.jsonl', lines.map((l) => `${JSON.stringify(l)}\n`).join(''))
    await put(out, 'queued.wav', 'renamed in place, not yet journalled')
    await put(out, 'failed.wav', 'a file the export does not stand for')
    const r = await verifyFolder(out)
    expect(r).toMatchObject({ ok: false, manifest: false, files: 0, unrecorded: 1, unexpected: 1 })
    expect(r.problems).toEqual(expect.arrayContaining([{ kind: 'unrecorded', path: 'queued.wav' }, { kind: 'unexpected', path: 'failed.wav' }]))
    expect(await readLastVerified(out)).toMatchObject({ ok: false, unexpected: 1, unrecorded: 1 })
    // The queued one is on disk (named above): nothing is left to download.
    expect(r).not.toHaveProperty('toDo')
  })

  it('says what a stopped range export has still to download, and that its listing stopped short', async () => {
    const out = await tempDir()
    dirs.push(out)
    const source = { kind: 'range', from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z' }
    const header = { type: 'export', version: 1, id: 'x', createdAt: '2026-12-04T00:00:00Z', instanceId: 'i', source, options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null } }
    const listed = { type: 'listed', next: { at: Date.parse('2026-03-03T00:00:00.000Z'), page: 1 }, pages: 1, found: 2, unrecorded: 0 }
    const lines = [header, { type: 'add', names: ['a.wav', 'b.wav'] }, listed]
    await put(out, '.ccc-recordings/journal.jsonl', lines.map((l) => `${JSON.stringify(l)}\n`).join(''))
    const r = await verifyFolder(out)
    expect(r).toMatchObject({ ok: true, files: 0, toDo: 2, listingUnfinished: true })
    // Listed to its end: only the files to download are left.
    const done = { ...listed, next: { at: Date.parse(source.to), page: 1 } }
    await put(out, '.ccc-recordings/journal.jsonl', [header, { type: 'add', names: ['a.wav', 'b.wav'] }, done].map((l) => `${JSON.stringify(l)}\n`).join(''))
    const again = await verifyFolder(out)
    expect(again).toMatchObject({ toDo: 2 })
    expect(again).not.toHaveProperty('listingUnfinished')
  })

  it('refuses a folder without a manifest, naming it', async () => {
    const out = await tempDir()
    dirs.push(out)
    await expect(verifyFolder(out)).rejects.toMatchObject({ code: 'Export.NotFound', message: expect.stringContaining(out) })
    await expect(verifyFolder(join(out, 'nowhere'))).rejects.toMatchObject({ code: 'Export.NotFound' })
    expect(await readLastVerified(out)).toBeUndefined()
  })

  it('still verifies a folder it cannot record in', async () => {
    const out = await folder(2)
    // A file where the state folder should be: verified.json cannot be written.
    await rm(join(out, '.ccc-recordings'), { recursive: true, force: true })
    await writeFile(join(out, '.ccc-recordings'), 'in the way')
    const r = await verifyFolder(out)
    expect(r.ok).toBe(true)
    expect(r.recordError).toBeTruthy()
  })

  it('streams 20,000 files', async () => {
    const out = await folder(20_000, 16)
    await mkdir(join(out, 'extra'))
    await put(out, 'extra/one.wav', 'x')
    let calls = 0
    const r = await verifyFolder(out, { onProgress: () => calls++ })
    expect(r).toMatchObject({ files: 20_000, matched: 20_000, unexpected: 1, ok: false })
    expect(calls).toBe(20_000)
    expect((await readFile(join(out, 'manifest.jsonl'), 'utf8')).split('\n')).toHaveLength(20_001)
  }, 120_000)
})
