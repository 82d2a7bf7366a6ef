import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MANIFEST_COLUMNS, type ManifestRow, sidecarPath, writeManifest, writeSidecarJson } from '../../../main/engine/calls/manifest.ts'
import { metaFromRow } from '../../../main/engine/calls/csv-meta.ts'
import { cstIso, manifestHeader } from '../../../main/engine/calls/manifest-csv.ts'
import { tempDir } from './manifest-fixture.ts'

const dirs: string[] = []
const dir = async () => {
  const d = await tempDir()
  dirs.push(d)
  return d
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

const zhang: ManifestRow = {
  localPath: '2026-03/张三/20260301_093000_13800138000_job-1.wav',
  fileName: 'job-1_20260301093000.wav',
  bytes: 1234,
  crc64: '12345678901234567890',
  sha256: 'ab'.repeat(32),
  downloadedAt: '2026-03-01T02:00:00.000Z',
  verifiedBy: 'crc64',
  meta: {
    contactId: 'job-1',
    callStart: Date.UTC(2026, 2, 1, 1, 30),
    callEnd: Date.UTC(2026, 2, 1, 1, 32, 10),
    caller: '13800138000',
    callee: '02188880000',
    direction: 'Outbound',
    disposition: 'Success',
    agents: [{ id: 'a1', name: '张三' }, { name: '李四' }],
    skillGroups: ['售后', '投诉'],
    callDuration: 130,
    satisfaction: '满意',
    agentId: 'a1',
    agentName: '张三',
    start: Date.UTC(2026, 2, 1, 1, 30, 5),
    duration: 125,
    columns: { 主叫号码: '13800138000', 备注: '=cmd|\' /C calc\'!A0' },
  },
}
const bare: ManifestRow = { localPath: 'b.wav', fileName: 'b.wav', bytes: 5, meta: { columns: { 坐席: '王五', 备注: 'plain, with comma' } } }

/** A minimal RFC 4180 reader: enough to check what Excel would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  const re = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n)/g
  let row: string[] = []
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const cell = m[1]!
    row.push(cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell)
    if (m[2] === '\r\n') {
      rows.push(row)
      row = []
    }
  }
  return rows
}

describe('manifest.csv and manifest.jsonl', () => {
  it('write every row with the fixed columns, then the CSV source’s columns in first-seen order', async () => {
    const out = await dir()
    await writeManifest(out, [zhang, bare])
    const text = await readFile(join(out, 'manifest.csv'), 'utf8')
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(text.replaceAll('\r\n', '')).not.toContain('\n')
    const [header, a, b] = parseCsv(text.slice(1))
    expect(header).toEqual([...MANIFEST_COLUMNS, '主叫号码', '备注', '坐席'])
    const cell = (row: string[] | undefined, col: string) => row![header!.indexOf(col)]
    expect(cell(a, 'local_path')).toBe(zhang.localPath)
    expect(cell(a, 'call_start')).toBe('2026-03-01T09:30:00+08:00')
    expect(cell(a, 'downloaded_at')).toBe('2026-03-01T10:00:00+08:00')
    expect(cell(a, 'agents')).toBe('张三 (a1); 李四')
    expect(cell(a, 'skill_groups')).toBe('售后; 投诉')
    expect(cell(a, 'call_duration')).toBe('130')
    expect(cell(a, 'sha256')).toBe('ab'.repeat(32))
    // The hostile cell is shown as text, not run.
    expect(cell(a, '备注')).toBe("'=cmd|' /C calc'!A0")
    expect(cell(a, '坐席')).toBe('')
    expect(cell(b, '坐席')).toBe('王五')
    expect(cell(b, '备注')).toBe('plain, with comma')
    expect(cell(b, 'sha256')).toBe('')
  })

  it('keeps the same records, meta nested, one JSON object a line', async () => {
    const out = await dir()
    await writeManifest(out, (async function* () {
      yield zhang
      yield bare
    })())
    const lines = (await readFile(join(out, 'manifest.jsonl'), 'utf8')).trimEnd().split('\n')
    expect(lines.map((l) => JSON.parse(l))).toEqual([zhang, bare])
  })

  it('is replaced whole, and a failed rewrite leaves the old one and no temp file', async () => {
    const out = await dir()
    await writeManifest(out, [zhang])
    await writeManifest(out, [bare])
    expect(await readFile(join(out, 'manifest.jsonl'), 'utf8')).toBe(`${JSON.stringify(bare)}\n`)
    const before = await readFile(join(out, 'manifest.csv'), 'utf8')
    const failing = (function* () {
      yield zhang
      throw new Error('source broke')
    })()
    await expect(writeManifest(out, failing)).rejects.toThrow('source broke')
    expect(await readFile(join(out, 'manifest.csv'), 'utf8')).toBe(before)
    expect(await readFile(join(out, 'manifest.jsonl'), 'utf8')).toBe(`${JSON.stringify(bare)}\n`)
    expect((await readdir(out)).sort()).toEqual(['.ccc-recordings', 'manifest.csv', 'manifest.jsonl'])
    expect(await readdir(join(out, '.ccc-recordings'))).toEqual([])
  })

  it('is written in the state folder and renamed: the output folder never shows a temp file, even mid-write', async () => {
    const out = await dir()
    let seen: { out: string[]; state: string[] } | undefined
    await writeManifest(out, (async function* () {
      yield zhang
      seen = { out: await readdir(out), state: await readdir(join(out, '.ccc-recordings')) }
      yield bare
    })())
    expect(seen?.out).toEqual(['.ccc-recordings'])
    expect(seen?.state).toEqual([expect.stringMatching(/^\.manifest\.jsonl\.\d+\.[0-9a-f]{12}\.tmp$/)])
    expect((await readdir(out)).sort()).toEqual(['.ccc-recordings', 'manifest.csv', 'manifest.jsonl'])
  })

  it('writes <recording>.json beside the recording', async () => {
    const out = await dir()
    await writeSidecarJson(out, zhang)
    const side = JSON.parse(await readFile(join(out, `${zhang.localPath}.json`), 'utf8')) as ManifestRow
    expect(side).toEqual(zhang)
    expect(await readdir(join(out, '2026-03/张三'))).toEqual([`${zhang.localPath.split('/').pop()}.json`])
  })

  it('keeps a sidecar’s name within 255 bytes', () => {
    const long = `${'录'.repeat(83)}.wav`
    expect(Buffer.byteLength(long)).toBe(253)
    const side = sidecarPath(`a/${long}`)
    expect(side.startsWith('a/录')).toBe(true)
    expect(side.endsWith('.json')).toBe(true)
    expect(Buffer.byteLength(side.slice(2))).toBeLessThanOrEqual(255)
    expect(sidecarPath('a/b.wav')).toBe('a/b.wav.json')
  })

  it('keeps every column of a list whose header repeats a name or leaves one empty', async () => {
    const out = await dir()
    const { meta } = metaFromRow(['file_name', '坐席', '坐席', '', 'caller'], ['a1.wav', '张三', '1001', 'orphan', '13800138000'])
    await writeManifest(out, [{ localPath: 'a1.wav', fileName: 'a1.wav', bytes: 5, meta }])
    const [header, row] = parseCsv((await readFile(join(out, 'manifest.csv'), 'utf8')).slice(1))
    const cell = (col: string) => row![header!.indexOf(col)]
    expect(cell('坐席')).toBe('张三')
    expect(cell('坐席 (2)')).toBe('1001')
    expect(cell('column 4')).toBe('orphan')
    // The list's own file_name and caller, apart from the manifest's.
    expect(new Set(header).size).toBe(header!.length)
    expect(cell('caller (csv)')).toBe('13800138000')
    expect(cell('file_name (csv)')).toBe('a1.wav')
  })

  it('names a list’s column that has one of the manifest’s own names apart from it', () => {
    const header = manifestHeader(['file_name', '坐席', 'caller', 'caller (csv)'])
    expect(new Set(header).size).toBe(header.length)
    expect(header.slice(MANIFEST_COLUMNS.length)).toEqual(['file_name (csv)', '坐席', 'caller (csv 2)', 'caller (csv)'])
    expect(header.slice(0, MANIFEST_COLUMNS.length)).toEqual([...MANIFEST_COLUMNS])
  })

  it('writes times in China Standard Time with the offset', () => {
    expect(cstIso(Date.UTC(2026, 11, 31, 16, 0, 0))).toBe('2027-01-01T00:00:00+08:00')
    expect(cstIso(Date.UTC(2026, 0, 1, 0, 0, 0, 250))).toBe('2026-01-01T08:00:00.250+08:00')
    expect(cstIso(undefined)).toBeUndefined()
  })
})
