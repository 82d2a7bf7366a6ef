import { readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Sim, startSim } from '../sim/index.ts'
import { xlsxOf } from '../engine/import/xlsx-fixture.ts'
import { runCli } from './run-cli.ts'

// Issue 13, "Done when": a date range with an agent filter and the template gives exactly
// the filtered recordings under those names, a manifest, and a verify that passes until a file
// is altered, which it then names.
const TEMPLATE = '{yyyy}-{MM}/{agent}/{date}_{time}_{caller}_{contactId}{ext}'
const at = (cst: string) => Date.parse(`${cst}+08:00`)

let sim: Sim
let work: string
let env: Record<string, string>
beforeAll(async () => {
  sim = await startSim()
  sim.addCall({ contactId: 'c1', startTime: at('2026-03-05T01:02:03'), recordings: ['c1-a.wav', 'c1-b.wav'], agentName: '张三', phone: '13800000001' })
  sim.addCall({ contactId: 'c2', startTime: at('2026-03-06T14:00:00'), recordings: ['c2.wav'], agentName: '张三', phone: '13800000002', contactType: 'Outbound' })
  sim.addCall({ contactId: 'c3', startTime: at('2026-03-06T15:00:00'), recordings: ['c3.wav'], agentName: '李四', phone: '13800000003' })
  sim.addCall({ contactId: 'c4', startTime: at('2026-03-07T09:30:00'), recordings: ['c4.wav'], agentName: '李四', phone: '13800000004' })
})
afterAll(() => sim.close())
beforeEach(async (ctx) => {
  work = await mkdtemp(join(tmpdir(), 'calls-'))
  env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
  ctx.onTestFinished(() => rm(work, { recursive: true, force: true }))
})

const range = ['--from', '2026-03-01T00:00:00+08:00', '--to', '2026-03-08T00:00:00+08:00']
const download = (out: string, extra: string[]) =>
  runCli(['download', ...range, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--agent', '张三', '--name-template', TEMPLATE, ...extra], env)

/** A names list downloaded into `out` from the simulator. */
const listDownload = (list: string, out: string, extra: readonly string[] = [], envOver: Record<string, string> = {}) =>
  runCli(['download', list, '--out', join(work, out), '--instance', sim.instanceId, '--endpoint', sim.endpoint, ...extra], { ...env, ...envOver })

describe('calls, not just files', () => {
  it('downloads exactly the agent’s recordings under the template’s names, with a manifest that verify checks', async () => {
    const out = join(work, 'out')
    const r = await download(out, [])
    expect(r.stderr).not.toMatch(/unexpected/)
    expect(r.code).toBe(0)
    // The inbound call's caller is the customer; the outbound call's is the service line. The
    // transfer leg starts 30 s after the first: its {time} says so.
    const expected: Record<string, string> = {
      'c1-a.wav': '2026-03/张三/2026-03-05_010203_13800000001_c1.wav',
      'c1-b.wav': '2026-03/张三/2026-03-05_010233_13800000001_c1.wav',
      'c2.wav': '2026-03/张三/2026-03-06_140000_02150000000_c2.wav',
    }
    for (const [name, path] of Object.entries(expected)) expect((await readFile(join(out, path))).equals(sim.content(name)), path).toBe(true)
    expect(await readdir(join(out, '2026-03'))).toEqual(['张三'])

    const manifest = await readFile(join(out, 'manifest.csv'), 'utf8')
    expect(manifest.startsWith('\uFEFFlocal_path,file_name,bytes,crc64,sha256,')).toBe(true)
    expect(manifest.trim().split('\r\n')).toHaveLength(4)
    for (const path of Object.values(expected)) expect(manifest).toContain(path)
    expect(manifest).toContain('张三')
    const report = await readFile(join(out, 'report.csv'), 'utf8')
    expect(report).toMatch(/c3\.wav,skipped,.*left out by the filter agent/)

    const verified = await runCli(['verify', out], env)
    expect(verified.code).toBe(0)
    expect((await runCli(['status', out], env)).stdout).toMatch(/^Last verified: .*, all 3 files match$/m)
    // Same size, other bytes: only the SHA-256 can tell.
    const altered = join(out, expected['c2.wav']!)
    const bytes = await readFile(altered)
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff
    await writeFile(altered, bytes)
    const again = await runCli(['verify', out], env)
    expect(again.code).toBe(3)
    expect(again.stdout + again.stderr).toContain(expected['c2.wav'])
    // The way back it gives: the changed file moved aside, a resume downloads CCC's copy.
    expect(again.stdout).toContain(`To download CCC's copy of a changed file again, move it aside or delete it (copy it elsewhere first if it may be evidence: resume downloads over a changed file of another size), then: ccc-recordings resume ${out}\n`)
    await rename(altered, join(work, 'evidence.wav'))
    const resumed = await runCli(['resume', out], env)
    expect(resumed.code, resumed.stderr).toBe(0)
    expect((await readFile(altered)).equals(sim.content('c2.wav'))).toBe(true)
    expect((await runCli(['verify', out], env)).code).toBe(0)
  })

  it('writes each recording’s call beside it with --sidecar, once', async () => {
    const out = join(work, 'side')
    expect((await download(out, ['--sidecar'])).code).toBe(0)
    const sidecar = join(out, '2026-03/张三/2026-03-06_140000_02150000000_c2.wav.json')
    const record = JSON.parse(await readFile(sidecar, 'utf8')) as { fileName: string; meta: { contactId: string; agentName: string; direction: string } }
    expect(record).toMatchObject({ fileName: 'c2.wav', meta: { contactId: 'c2', agentName: '张三', direction: 'Outbound' } })
    // The same export run again verifies nothing anew and leaves the sidecars as they are.
    const before = (await stat(sidecar)).mtimeMs
    expect((await download(out, ['--sidecar'])).code).toBe(0)
    expect((await stat(sidecar)).mtimeMs).toBe(before)
    // A .json older than its recording (someone else's, or one of a file downloaded again since) is written anew.
    await writeFile(sidecar, '{"mine":true}')
    await utimes(sidecar, new Date(2020, 0, 1), new Date(2020, 0, 1))
    expect((await download(out, ['--sidecar'])).code).toBe(0)
    expect(JSON.parse(await readFile(sidecar, 'utf8'))).toMatchObject({ fileName: 'c2.wav' })
  })

  it('lists and names without downloading on --dry-run', async () => {
    const out = join(work, 'dry')
    const r = await download(out, ['--dry-run'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Dry run: 2 calls, 3 recordings/)
    expect(r.stdout).toMatch(/left out by agent: 2/)
    const list = await readFile(join(out, 'dry-run.csv'), 'utf8')
    expect(list).toContain('2026-03/张三/2026-03-05_010233_13800000001_c1.wav')
    await expect(stat(join(out, '.ccc-recordings'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('refuses a template it cannot render before anything starts, naming what is wrong', async () => {
    const r = await runCli(['download', ...range, '--out', join(work, 'bad'), '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--name-template', '{date}_{agnet}{ext}'], env)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('{agnet}')
  })

  it('refuses {col:…} for a date range or contact IDs, which keep no list columns', async () => {
    const ids = join(work, 'ids.csv')
    await writeFile(ids, '话务ID,备注\r\nc1,a\r\n')
    for (const source of [range, ['--contacts', ids]]) {
      const r = await runCli(['download', ...source, '--out', join(work, 'col'), '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--name-template', '{contactId}_{col:备注}{ext}'], env)
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/\{col:备注\} reads a column of a names list/)
    }
  })

  it('keeps a folder’s naming on a rerun that asks for another, and says so', async () => {
    const list = join(work, 'rename.csv')
    await writeFile(list, '录音文件名,坐席\r\nc3.wav,李四\r\n')
    const out = join(work, 'rename')
    const args = ['download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint]
    expect((await runCli([...args, '--name-template', '{agent}/{fileName}'], env)).code).toBe(0)
    // The same folder, one more name, another template.
    await writeFile(list, '录音文件名,坐席\r\nc3.wav,李四\r\nc4.wav,李四\r\n')
    // A dry run names them as the run will: by the folder's template.
    const dry = await runCli([...args, '--name-template', 'flat', '--dry-run'], env)
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stderr).toContain("This folder's export names its files by the template {agent}/{fileName} in Asia/Shanghai, and keeps it")
    expect(await readFile(join(out, 'dry-run.csv'), 'utf8')).toContain('c4.wav,李四/c4.wav,')
    const again = await runCli([...args, '--name-template', 'flat'], env)
    expect(again.code).toBe(0)
    expect(again.stderr).toContain("This folder's export names its files by the template {agent}/{fileName} in Asia/Shanghai, and keeps it")
    expect((await readFile(join(out, '李四/c4.wav'))).equals(sim.content('c4.wav'))).toBe(true)
  })

  it('refuses a dry run into a folder whose journal is damaged, as the run is', async () => {
    const out = join(work, 'damaged')
    await mkdir(join(out, '.ccc-recordings'), { recursive: true })
    await writeFile(join(out, '.ccc-recordings', 'journal.jsonl'), 'garbage\nmore garbage\n')
    const r = await runCli(['download', ...range, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--dry-run'], env)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('the export journal has no header line; move .ccc-recordings aside to start afresh')
  })

  it('says how many recordings the filters left out of a range, and when they kept none', async () => {
    const out = join(work, 'nobody')
    const r = await runCli(['download', ...range, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--agent', '无此人'], env)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/\d+ recordings? left out by the filters \(listed in report\.csv as skipped, with the filter\): the filters kept none of the recordings listed, so check them/)
    expect((await runCli(['status', out], env)).stdout).toMatch(/0 recordings found, \d+ without a recording, \d+ left out by the filters/)
    const kept = await runCli(['download', ...range, '--out', join(work, 'some'), '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--agent', '张三'], env)
    expect(kept.stderr).toMatch(/\d+ recordings? left out by the filters \(listed in report\.csv as skipped, with the filter\)\n/)
  })

  it('says that --to with a date alone leaves that day out, as the end is exclusive', async () => {
    const base = ['download', '--from', '2026-03-01', '--out', join(work, 'dates'), '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--dry-run']
    const day = await runCli([...base, '--to', '2026-03-07'], env)
    expect(day.code, day.stderr).toBe(0)
    expect(day.stderr).toContain('--to 2026-03-07 is the start of that day, and the end is not included: its calls are left out (give the next day to include them)')
    expect((await runCli([...base, '--to', '2026-03-08T00:00:00+08:00'], env)).stderr).not.toContain('is the start of that day')
  })

  it('says how a range differs when a folder holds the same range with another filter', async () => {
    const out = join(work, 'ranges')
    const args = ['download', ...range, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint]
    expect((await runCli([...args, '--agent', '张三'], env)).code).toBe(0)
    // The dry run is refused as the run is, before any listing, and leaves the folder's files alone.
    const dry = await runCli([...args, '--agent', '李四', '--dry-run'], env)
    expect(dry.code).toBe(2)
    expect(dry.stderr).toMatch(/already holds the calls from .* to .* with agent 张三, and this run asks for them with agent 李四/)
    const other = await runCli([...args, '--agent', '李四'], env)
    expect(other.code).toBe(2)
    expect(other.stderr).toMatch(/already holds the calls from .* to .* with agent 张三, and this run asks for them with agent 李四\. A folder keeps the filters it was started with/)
    const none = await runCli([...args.filter((a) => a !== '--agent' && a !== '张三'), '--min-duration', '1:00'], env)
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('with agent 张三, and this run asks for them with minimum duration 60 s.')
    const unfiltered = await runCli(args, env)
    expect(unfiltered.stderr).toContain('with agent 张三, and this run asks for them with no filter.')
  })

  it('downloads a list\'s rows a filter left out once the list is run again without it, and says so as such', async () => {
    const list = join(work, 'agents-list.csv')
    await writeFile(list, '录音文件名,坐席\r\nc2.wav,张三\r\nc3.wav,李四\r\n')
    const out = join(work, 'unfiltered')
    const args = ['download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint]
    expect((await runCli([...args, '--agent', '张三'], env)).code).toBe(0)
    await expect(stat(join(out, 'c3.wav'))).rejects.toThrow()
    const again = await runCli(args, env)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toContain('1 file a filter left out before is downloaded now')
    expect(again.stderr).not.toContain('failed before')
    expect((await readFile(join(out, 'c3.wav'))).equals(sim.content('c3.wav'))).toBe(true)
  })

  it('says which column it read when no header is known, with the first row', async () => {
    const list = join(work, 'unknown.csv')
    await writeFile(list, 'c3.wav,李四\r\nc4.wav,张三\r\n')
    const r = await listDownload(list, 'u')
    expect(r.stderr).toContain('No known file-name header in')
    expect(r.stderr).toContain('First row: c3.wav | 李四. Choose with --column <name or number>.')
  })

  it('takes a header it does not know for one, when its cell is no file name above rows that are, and names with its columns', async () => {
    const list = join(work, 'unknown-header.csv')
    await writeFile(list, '录音名称,坐席\r\nc3.wav,李四\r\n')
    const r = await listDownload(list, 'uh', ['--name-template', '{agent}/{fileName}'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('unknown-header.csv: row 1 read as the header (录音名称 | 坐席): its column 1 holds no file name, and the rows below do')
    expect(await readdir(join(work, 'uh'))).not.toContain('unknown')
    expect((await readFile(join(work, 'uh', '李四', 'c3.wav'))).equals(sim.content('c3.wav'))).toBe(true)
  })

  it('refuses a column of agents before any call, naming the column and the header (exit 2)', async () => {
    const list = join(work, 'agents.csv')
    await writeFile(list, '录音文件名,坐席\r\nc3.wav,李四\r\nc4.wav,张三\r\n')
    sim.resetStats()
    const r = await listDownload(list, 'agents', ['--column', '坐席'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('agents.csv: column "坐席" holds no recording file names (李四, 张三)')
    expect(r.stderr).toContain('The header: 录音文件名, 坐席.')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(sim.stats.apiCalls).toBe(0)
    // A Chinese terminal gets the code explained in Chinese too, under the same line.
    const zh = await listDownload(list, 'agents', ['--column', '坐席'], { LANG: 'zh_CN.UTF-8' })
    expect(zh.code).toBe(2)
    expect(zh.stderr).toContain('ccc-recordings: Import.NoRecordingNames: ')
    expect(zh.stderr).toContain('所选列中没有录音文件名。录音文件名以扩展名结尾')
  })

  it('reads a headerless list by the column number its hint offers, and an Excel workbook like its CSV', async () => {
    const list = join(work, 'bare.csv')
    await writeFile(list, '13800000003,c3.wav\r\n13800000004,c4.wav\r\n')
    const bare = await listDownload(list, 'b', ['--column', '2'])
    expect(bare.code, bare.stderr).toBe(0)
    expect((await readFile(join(work, 'b', 'c4.wav'))).equals(sim.content('c4.wav'))).toBe(true)

    const book = join(work, 'calls.xlsx')
    await writeFile(book, xlsxOf([['录音文件名', '坐席'], ['c3.wav', '李四'], ['c4.wav', '李四']]))
    const xl = await runCli(['download', book, '--out', join(work, 'x'), '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--name-template', '{agent}/{fileName}'], env)
    expect(xl.code, xl.stderr).toBe(0)
    expect((await readFile(join(work, 'x', '李四', 'c3.wav'))).equals(sim.content('c3.wav'))).toBe(true)
    const ids = await runCli(['download', '--contacts', book, '--out', join(work, 'y'), '--instance', sim.instanceId, '--endpoint', sim.endpoint], env)
    expect(ids.code).toBe(2)
    expect(ids.stderr).toContain('an Excel workbook; contact IDs are read from a CSV or text list')
  })

  it('refuses, by row, a contact ID Excel shortened to scientific notation, which no lookup could find', async () => {
    const list = join(work, 'sci.csv')
    await writeFile(list, '话务ID\r\n1.23457E+11\r\n')
    const r = await runCli(['download', '--contacts', list, '--out', join(work, 's'), '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--dry-run'], env)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('row 2')
    expect(r.stderr).toContain('1.23457E+11')
    expect(r.stderr).toContain('format the column as Text in Excel')
  })

  it('says which filter needs a column the list lacks, when the filters would leave nothing', async () => {
    const list = join(work, 'plain.csv')
    await writeFile(list, '录音文件名,坐席\r\nc3.wav,李四\r\n')
    const args = ['download', list, '--out', join(work, 'f'), '--instance', sim.instanceId, '--endpoint', sim.endpoint]
    const blind = await runCli([...args, '--direction', 'outbound'], env)
    expect(blind.code).toBe(2)
    expect(blind.stderr).toContain('the direction filter needs a direction (呼叫类型) column')
    const none = await runCli([...args, '--agent', '张三'], env)
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('the filters leave no name: left out 1 by agent')
  })

  it('lists what a filter leaves out of a names list as skipped rows, and the dry run counts it', async () => {
    const list = join(work, 'agents.csv')
    await writeFile(list, '录音文件名,坐席\r\nc1-a.wav,张三\r\nc3.wav,李四\r\nc4.wav,李四\r\n')
    const out = join(work, 'agents')
    const args = ['download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--agent', '张三']
    const dry = await runCli([...args, '--dry-run'], env)
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/left out by agent: 2/)
    const r = await runCli(args, env)
    expect(r.code).toBe(0)
    // A names list has no listing: the filters' rows are the list's own, told before the run.
    expect(r.stderr).not.toMatch(/left out by the filters \(/)
    const report = await readFile(join(out, 'report.csv'), 'utf8')
    expect(report).toMatch(/c1-a\.wav,done,/)
    expect(report).toMatch(/c3\.wav,skipped,.*left out by the filter agent/)
    expect(report).toMatch(/c4\.wav,skipped,.*left out by the filter agent/)
    // The same list without the filter: the two are downloaded, not left skipped, and the verified one stays.
    const all = await runCli(['download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint], env)
    expect(all.code).toBe(0)
    expect(await readFile(join(out, 'report.csv'), 'utf8')).toMatch(/c3\.wav,done,[\s\S]*c4\.wav,done,|c4\.wav,done,[\s\S]*c3\.wav,done,/)
  })

  it('checks the settings in a dry run of a names list, and its options as the real run would', async () => {
    const list = join(work, 'dry-names.csv')
    await writeFile(list, 'c3.wav\nc4.wav\n')
    const args = ['download', list, '--out', join(work, 'dry-names'), '--endpoint', sim.endpoint, '--dry-run']
    const wrong = await runCli([...args, '--instance', 'no-such-instance'], env)
    expect(wrong.code).toBe(4)
    expect(wrong.stderr).toMatch(/instance ID or the region is wrong/i)
    const ok = await runCli([...args, '--instance', sim.instanceId], env)
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toContain('Dry run: 2 calls, 2 recordings')
    // A busy service says nothing of the settings: told, and the plan is written.
    sim.fault('ccc-recordings-connection-test.wav', { kind: 'api-unavailable', times: 1 })
    const busy = await runCli([...args, '--instance', sim.instanceId], env)
    expect(busy.code, busy.stderr).toBe(0)
    expect(busy.stderr).toMatch(/^warn: the settings could not be checked: /m)
    const badOption = await runCli([...args, '--instance', sim.instanceId, '--give-up-after', '4x'], env)
    expect(badOption.code).toBe(2)
    expect(badOption.stderr).toContain('--give-up-after wants a duration')
  })

  it('names a names list’s files by its own columns', async () => {
    const list = join(work, 'calls.csv')
    await writeFile(list, '录音文件名,坐席,客户编号,开始时间\r\nc3.wav,李四,C-9,2026-03-06 15:00:00\r\nc4.wav,李四,C-7,bad date\r\n')
    const out = join(work, 'named')
    const r = await runCli(['download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--name-template', '{col:客户编号}/{agent}_{date}{ext}'], env)
    expect(r.code).toBe(0)
    // An unreadable date: said, with its row, and {date} falls back to the recording's own time (none here).
    expect(r.stderr).toMatch(/row 3: 开始时间 "bad date" is not a date and time/)
    expect((await readFile(join(out, 'C-9/李四_2026-03-06.wav'))).equals(sim.content('c3.wav'))).toBe(true)
    expect((await readFile(join(out, 'C-7/李四_unknown.wav'))).equals(sim.content('c4.wav'))).toBe(true)
    const missing = await runCli(['download', list, '--out', join(work, 'x'), '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--name-template', '{col:工号}{ext}'], env)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('"录音文件名", "坐席", "客户编号", "开始时间"')
  })
})
