import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

// `npm run demo` and its CCC 2.0 variant (issue 14 item 6), run as a user runs them: the script
// starts its own simulator and the real CLI, and must leave a finished export behind.
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TSX = join(ROOT, 'node_modules/.bin/tsx')

let work: string | undefined
afterEach(async () => {
  if (work) await rm(work, { recursive: true, force: true })
  work = undefined
})

function demo(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(TSX, [join(ROOT, 'scripts/demo.ts'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
  })
}

describe('npm run demo', () => {
  it('--api-version 2020-07-01: a week of 2.0 calls listed, 38 recordings fetched through the faults, one missing, one not ready yet', async () => {
    work = await mkdtemp(join(tmpdir(), 'demo-v2-'))
    const out = join(work, 'out')
    const r = await demo(['--api-version', '2020-07-01', out])
    expect(r.code, r.output).toBe(0)
    expect(r.output).toMatch(/API 2020-07-01/)
    const wavs = (await readdir(out)).filter((n) => n.endsWith('.wav'))
    expect(wavs).toHaveLength(38)
    expect(wavs).toContain('job-7000000.wav')
    const report = await readFile(join(out, 'report.csv'), 'utf8')
    expect(report).toMatch(/job-7000023\.wav,failed,[^\n]*NotExist\.Record/)
    expect(report).toMatch(/call\/job-7000029,skipped,[^\n]*not ready yet/)
    // The two archived calls were restored, then downloaded.
    expect(report).toMatch(/job-7000033\.wav,done,/)
    expect(report).toMatch(/job-7000037\.wav,done,/)
    expect(await readFile(join(out, 'manifest.csv'), 'utf8')).toContain('张伟')
  }, 120_000)

  it('refuses an unknown generation', async () => {
    const r = await demo(['--api-version', '2019-01-01'])
    expect(r.code).toBe(2)
    expect(r.output).toMatch(/2017-07-05 \(CCC 1\.0\) or 2020-07-01/)
  })
})
