import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Sim, startSim } from '../sim/index.ts'
import { runCli } from './run-cli.ts'

/** Issue 17 items 5 and 6: names, codes and messages from lists and servers, written for others. */

let sim: Sim
let work: string
let env: Record<string, string>

beforeAll(async () => {
  sim = await startSim()
})
afterAll(() => sim.close())
beforeEach(async (ctx) => {
  work = await mkdtemp(join(tmpdir(), 'cli-hostile-'))
  env = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret,
    CCC_RECORDINGS_CONFIG_DIR: join(work, 'config'),
  }
  ctx.onTestFinished(() => rm(work, { recursive: true, force: true }))
})

const csvQuoted = (cells: string[]): string => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')

async function download(lines: string[], extra: string[] = []) {
  const listPath = join(work, 'names.csv')
  await writeFile(listPath, `${lines.join('\r\n')}\r\n`)
  const out = join(work, 'out')
  const r = await runCli(['download', listPath, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, ...extra], env)
  return { ...r, out }
}

/** report.csv as rows of raw cells (our names hold no comma or quote except where quoted whole). */
async function reportRows(out: string): Promise<Map<string, string>> {
  const text = (await readFile(join(out, 'report.csv'), 'utf8')).replace(/^\uFEFF/, '')
  const lines = text.split('\r\n').filter((l) => l !== '')
  expect(lines[0]).toBe('file_name,status,bytes,crc64,error_code,error_message,attempts,local_path')
  return new Map(lines.slice(1).map((l) => [l.split(',')[0]!, l]))
}

describe('CSV cells a spreadsheet would run', () => {
  it('are written as text in report.csv: names, paths and a hostile server code', async () => {
    const hostileCode = "=2+5+cmd|' /C calc'!A0"
    sim.fault('@SUM(A1).wav', { kind: 'api-hostile', code: hostileCode, message: '=HYPERLINK("evil.example")', status: 400 })
    const hyperlink = '=HYPERLINK("evil.example","click").wav'
    const r = await download([csvQuoted(['FileName']), csvQuoted(['=1+2.wav']), csvQuoted(['@SUM(A1).wav']), csvQuoted([hyperlink]), csvQuoted(['-3.wav'])], ['--json'])
    expect(r.code, r.stderr + r.stdout).toBe(3)
    const rows = await reportRows(r.out)
    expect(rows.get("'=1+2.wav")).toMatch(/^'=1\+2\.wav,done,\d+,\d+,,,1,'=1\+2\.wav$/)
    expect(rows.get("'-3.wav")).toMatch(/^'-3\.wav,done,/)
    const failed = rows.get("'@SUM(A1).wav")
    expect(failed).toBe(`'@SUM(A1).wav,failed,0,,'${hostileCode},"'=HYPERLINK(""evil.example"")",1,`)
    // Quoted because of its comma and quotes, and neutralised inside the quotes.
    const text = await readFile(join(r.out, 'report.csv'), 'utf8')
    expect(text).toContain(`"'=HYPERLINK(""evil.example"",""click"").wav",done,`)
    // No cell of the file starts with a formula sign, quoted or not.
    for (const line of text.replace(/^\uFEFF/, '').split('\r\n')) expect(line).not.toMatch(/(^|,)"?[=+\-@]/)
  })
})
