import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliFixture } from './cli-fixture.ts'
import { runCli } from './run-cli.ts'

/** Issue 17 items 5 and 6: names, codes and messages from lists and servers, written for others. */

const cli = cliFixture('cli-hostile-')

const csvQuoted = (cells: string[]): string => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')

async function download(lines: string[], extra: string[] = []) {
  const listPath = join(cli.work, 'names.csv')
  await writeFile(listPath, `${lines.join('\r\n')}\r\n`)
  const out = join(cli.work, 'out')
  const r = await runCli(['download', listPath, '--out', out, '--instance', cli.sim.instanceId, '--endpoint', cli.sim.endpoint, ...extra], cli.env)
  return { ...r, out }
}

/** report.csv as rows of raw cells (our names hold no comma or quote except where quoted whole). */
async function reportRows(out: string): Promise<Map<string, string>> {
  const text = (await readFile(join(out, 'report.csv'), 'utf8')).replace(/^\uFEFF/, '')
  const lines = text.split('\r\n').filter((l) => l !== '')
  expect(lines[0]).toBe('file_name,status,bytes,crc64,error_code,error_message,attempts,local_path,verified_by')
  return new Map(lines.slice(1).map((l) => [l.split(',')[0]!, l]))
}

describe('CSV cells a spreadsheet would run', () => {
  it('are written as text in report.csv: names, paths and a hostile server code', async () => {
    const hostileCode = "=2+5+cmd|' /C calc'!A0"
    cli.sim.fault('@SUM(A1).wav', { kind: 'api-hostile', code: hostileCode, message: '=HYPERLINK("evil.example")', status: 400 })
    const hyperlink = '=HYPERLINK("evil.example","click").wav'
    const r = await download([csvQuoted(['FileName']), csvQuoted(['=1+2.wav']), csvQuoted(['@SUM(A1).wav']), csvQuoted([hyperlink]), csvQuoted(['-3.wav'])], ['--json'])
    expect(r.code, r.stderr + r.stdout).toBe(3)
    const rows = await reportRows(r.out)
    expect(rows.get("'=1+2.wav")).toMatch(/^'=1\+2\.wav,done,\d+,\d+,,,1,'=1\+2\.wav,crc64$/)
    expect(rows.get("'-3.wav")).toMatch(/^'-3\.wav,done,/)
    const failed = rows.get("'@SUM(A1).wav")
    expect(failed).toBe(`'@SUM(A1).wav,failed,0,,'${hostileCode},"'=HYPERLINK(""evil.example"")",1,,`)
    // Quoted because of its comma and quotes, and neutralised inside the quotes.
    const text = await readFile(join(r.out, 'report.csv'), 'utf8')
    expect(text).toContain(`"'=HYPERLINK(""evil.example"",""click"").wav",done,`)
    // No cell of the file starts with a formula sign, quoted or not.
    for (const line of text.replace(/^\uFEFF/, '').split('\r\n')) expect(line).not.toMatch(/(^|,)"?[=+\-@]/)
  })
})

describe('text printed to a terminal', () => {
  const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J'
  const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

  it('shows a server message’s and a list row’s escape sequences instead of running them', async () => {
    cli.sim.fault('esc-1.wav', { kind: 'api-hostile', code: `Evil${HOSTILE}`, message: `title ${HOSTILE} cleared`, status: 400 })
    const r = await download(['esc-1.wav', 'esc-2.wav', `bad\u001b[31mrow.wav`, `bell\u0007\u009b2J.wav`])
    expect(r.code).toBe(3)
    const printed = r.stdout + r.stderr
    expect(printed).not.toMatch(RAW_CONTROL)
    expect(r.stderr).toContain('bad\\u001b[31mrow.wav')
    expect(r.stdout).toContain('Evil\\u001b]0;pwned\\u0007\\u001b[2J')

    const json = await download(['esc-3.wav'], ['--json'])
    expect(json.stdout + json.stderr).not.toMatch(RAW_CONTROL)
  })

  it('keeps the JSON summary valid and exact', async () => {
    cli.sim.fault('esc-4.wav', { kind: 'api-hostile', code: `Evil\u0085${HOSTILE}`, message: HOSTILE, status: 400 })
    const r = await download(['esc-4.wav'], ['--json'])
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL)
    const summary = JSON.parse(r.stdout) as { failures: { code: string }[] }
    expect(summary.failures[0]?.code).toBe(`Evil\u0085${HOSTILE}`)
  })
})
