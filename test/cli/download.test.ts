import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Sim, startSim } from '../sim/index.ts'
import { killGroup, runCli, spawnCli } from './run-cli.ts'

let sim: Sim
let work: string
let env: Record<string, string>

beforeAll(async () => {
  sim = await startSim()
})
afterAll(() => sim.close())
beforeEach(async (ctx) => {
  work = await mkdtemp(join(tmpdir(), 'cli-'))
  env = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret,
    CCC_RECORDINGS_CONFIG_DIR: join(work, 'config'),
  }
  sim.resetStats()
  ctx.onTestFinished(() => rm(work, { recursive: true, force: true }))
})

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}.wav`)

async function list(file: string, lines: string[]): Promise<string> {
  const path = join(work, file)
  await writeFile(path, `${lines.join('\n')}\n`)
  return path
}

function download(listPath: string, out: string, extra: string[] = []) {
  return runCli(['download', listPath, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, ...extra], env)
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

describe('ccc-recordings download', () => {
  it('downloads a plain list, every byte verified, and exits 0', async () => {
    const wanted = names('cli', 8)
    const out = join(work, 'out')
    const r = await download(await list('names.txt', wanted), out, ['--concurrency', '3'])
    expect(r.stderr).not.toMatch(/error|warn/i)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Finished: 8 of 8 verified on disk, 0 failed/)
    for (const n of wanted) expect((await readFile(join(out, n))).equals(sim.content(n))).toBe(true)
    expect((await readdir(out)).filter((f) => f.includes('.part'))).toEqual([])
    expect(await exists(join(out, 'report.csv'))).toBe(true)
  })

  it('prints one JSON summary with --json, and exits 3 when some files failed', async () => {
    const wanted = names('partial', 4)
    sim.remove(wanted[1]!)
    const r = await download(await list('names.txt', wanted), join(work, 'out'), ['--json'])
    expect(r.code).toBe(3)
    const summary = JSON.parse(r.stdout) as { exitCode: number; counts: { done: number; failed: number }; failures: { code: string; count: number; meaning: string }[] }
    expect(summary.exitCode).toBe(3)
    expect(summary.counts).toMatchObject({ done: 3, failed: 1 })
    expect(summary.failures).toEqual([expect.objectContaining({ code: 'NotExist.Record', count: 1, meaning: 'The recording does not exist' })])

    // The same list again retries what failed, and only that.
    sim.replace(wanted[1]!)
    sim.resetStats()
    const again = await download(join(work, 'names.txt'), join(work, 'out'), ['--json'])
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/1 file that failed before is tried again/)
    expect([...sim.stats.downloadRecordingCalls.keys()]).toEqual([wanted[1]])
  })

  it.each([
    ['a wrong instance', (): string[] => ['--instance', 'no-such-instance'], {}, 'NotExist.Instance'],
    ['an unknown AccessKey', (): string[] => [], { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIunknownKey0000' }, 'InvalidAccessKeyId.NotFound'],
    ['a wrong secret', (): string[] => [], { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'not-the-secret-at-all' }, 'SignatureDoesNotMatch'],
  ])('stops with exit 4 and one message on %s', async (_label, flags, envOverride, code) => {
    const out = join(work, 'out')
    const listPath = await list('names.txt', names('fatal', 20))
    const args = ['download', listPath, '--out', out, '--endpoint', sim.endpoint, '--instance', sim.instanceId, ...flags()]
    const r = await runCli(args, { ...env, ...envOverride })
    expect(r.code).toBe(4)
    expect(r.stdout.match(new RegExp(code.replace('.', '\\.'), 'g'))).toHaveLength(1)
    expect(r.stderr).not.toMatch(/error: /)
    // One more for a wrong instance: the other API generation is asked once whether it knows it.
    expect(sim.stats.apiCalls).toBeLessThanOrEqual(7)
    expect(r.stdout + r.stderr).not.toContain('not-the-secret-at-all')
  })

  it('stops with exit 4 when OSS is not enabled', async () => {
    sim.set({ ossOpen: false })
    try {
      const r = await download(await list('names.txt', names('oss', 10)), join(work, 'out'))
      expect(r.code).toBe(4)
      expect(r.stdout).toMatch(/OssNotOpen/)
    } finally {
      sim.set({ ossOpen: true })
    }
  })

  it('does nothing new when run again with the same list into the same folder', async () => {
    const wanted = names('again', 5)
    const out = join(work, 'out')
    const listPath = await list('names.txt', wanted)
    expect((await download(listPath, out)).code).toBe(0)
    sim.resetStats()
    const r = await download(listPath, out)
    expect(r.code).toBe(0)
    expect(sim.stats.apiCalls).toBe(0)
    expect(sim.stats.ossGets.size).toBe(0)
    expect(r.stderr).toMatch(/5 of 5 names are already in this export/)
  })

  it('reads the list from stdin with -', async () => {
    const wanted = names('stdin', 3)
    const out = join(work, 'out')
    const r = await runCli(['download', '-', '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint], env, wanted.join('\r\n'))
    expect(r.code).toBe(0)
    expect((await readdir(out)).filter((f) => f.endsWith('.wav')).sort()).toEqual([...wanted].sort())
  })

  /** Slow recordings downloaded until a body is a quarter through, then the signal to the CLI's process group, as a terminal or service manager sends it. */
  async function signalledDownload(prefix: string, n: number, signal: NodeJS.Signals, extra: readonly string[] = []) {
    const wanted = names(prefix, n)
    for (const name of wanted) {
      sim.setSize(name, 512 * 1024)
      sim.fault(name, { kind: 'slow', bytesPerSecond: 512 * 1024, times: 1 })
    }
    const out = join(work, 'out')
    const { child, done } = spawnCli(['download', await list('names.txt', wanted), '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, ...extra], env)
    const onChunk = (_name: string, sent: number) => {
      if (sent >= 64 * 1024) {
        sim.events.off('chunk', onChunk)
        killGroup(child, signal)
      }
    }
    sim.events.on('chunk', onChunk)
    return { wanted, out, r: await done }
  }

  it('pauses on Ctrl-C, exits 130 with the journal saved, and resume finishes the export', async () => {
    const { wanted, out, r } = await signalledDownload('sigint', 6, 'SIGINT')
    expect(r.code).toBe(130)
    expect(r.stdout).toMatch(/Paused: .*Continue with: ccc-recordings resume/s)
    expect((await readdir(out)).some((f) => f.endsWith('.part'))).toBe(true)
    sim.resetStats()
    const resumed = await runCli(['resume', out], env)
    expect(resumed.code).toBe(0)
    for (const n of wanted) expect((await readFile(join(out, n))).equals(sim.content(n))).toBe(true)
    expect([...sim.stats.partialReplies.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
    const status = await runCli(['status', out], env)
    expect(status.stdout).toMatch(/Files: 6 total, 6 verified, 0 failed/)
  })

  it('pauses on SIGTERM (a service manager, kill) as on Ctrl-C, and exits 143 as a shell reports that signal', async () => {
    const { out, r } = await signalledDownload('sigterm', 4, 'SIGTERM', ['--json'])
    expect(r.code, r.stderr).toBe(143)
    expect(r.stderr).toContain('Pausing: finishing the journal… (SIGTERM again to quit at once)')
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'paused', exitCode: 143 })
    expect((await runCli(['resume', out], env)).code).toBe(0)
  })
})

describe('ccc-recordings download by date range', () => {
  it('lists the calls, downloads their recordings, and status tells how the listing went', async () => {
    const t0 = Date.UTC(2026, 4, 1, 1, 0, 0)
    sim.addCall({ contactId: 'cli-r1', startTime: t0, recordings: ['cli-r1-a.wav', 'cli-r1-b.wav'] })
    sim.addCall({ contactId: 'cli-r2', startTime: t0 + 3_600_000, recordings: [] })
    const out = join(work, 'out')
    const r = await runCli(
      ['download', '--from', '2026-05-01T00:00:00Z', '--to', '2026-05-02T00:00:00Z', '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--layout', 'by-date'],
      env,
    )
    expect(r.code, r.stderr).toBe(0)
    expect((await readFile(join(out, '2026/05/01/cli-r1-b.wav'))).equals(sim.content('cli-r1-b.wav'))).toBe(true)
    // Read in the user's own time, as someone in Shanghai keeps it.
    const status = await runCli(['status', out], { ...env, TZ: 'Asia/Shanghai' })
    expect(status.stdout).toMatch(/Listing 2026-05-01 08:00 \+08:00 to 2026-05-02 08:00 \+08:00 \(complete\): 1 pages, 2 recordings found, 1 without a recording/)
  })
})

describe('ccc-recordings download by date range, run again', () => {
  it('lists the range again for calls recorded since, and downloads nothing twice', async () => {
    const t0 = Date.UTC(2026, 5, 1, 1, 0, 0)
    sim.addCall({ contactId: 'again-1', startTime: t0, recordings: ['again-1.wav'] })
    const out = join(work, 'out')
    const args = ['download', '--from', '2026-06-01T00:00:00Z', '--to', '2026-06-02T00:00:00Z', '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint]
    const first = await runCli(args, env)
    expect(first.code, first.stderr).toBe(0)
    // A call whose record reached CCC after the first run, inside the same range.
    sim.addCall({ contactId: 'again-2', startTime: t0 + 7_200_000, recordings: ['again-2.wav'] })
    sim.resetStats()
    const second = await runCli(args, env)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stderr).toContain('listing it again')
    expect((await readFile(join(out, 'again-2.wav'))).equals(sim.content('again-2.wav'))).toBe(true)
    expect(sim.stats.wholeBodies.get('again-1.wav') ?? 0).toBe(0)
    const status = await runCli(['status', out], env)
    expect(status.stdout).toMatch(/Files: 2 total, 2 verified, 0 failed/)
    // The relist's pages; the recordings are the export's, each counted once however often listed.
    expect(status.stdout).toMatch(/1 pages, 2 recordings found, 0 without a recording/)
  })
})

describe('bad input exits 2 with one line naming the problem, and writes nothing', () => {
  const cases: [string, () => Promise<{ args: string[]; env?: Record<string, string | undefined> }>, RegExp][] = [
    ['an unknown flag', async () => ({ args: ['download', await list('n.txt', ['a.wav']), '--out', join(work, 'out'), '--instance', 'i', '--bogus'] }), /Unknown option '--bogus'/],
    ['a missing --out', async () => ({ args: ['download', await list('n.txt', ['a.wav']), '--instance', 'i'] }), /--out <dir> is required/],
    [
      'no credentials',
      async () => ({
        args: ['download', await list('n.txt', ['a.wav']), '--out', join(work, 'out'), '--instance', 'i'],
        env: { ALIBABA_CLOUD_ACCESS_KEY_ID: undefined, ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined },
      }),
      /No credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/,
    ],
    ['half the credentials', async () => ({ args: ['download', await list('n.txt', ['a.wav']), '--out', join(work, 'out'), '--instance', 'i'], env: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined } }), /ALIBABA_CLOUD_ACCESS_KEY_SECRET/],
    ['an unreadable list', async () => ({ args: ['download', join(work, 'missing.csv'), '--out', join(work, 'out'), '--instance', 'i'] }), /missing\.csv/],
    ['an empty list', async () => ({ args: ['download', await list('empty.txt', ['', '  ']), '--out', join(work, 'out'), '--instance', 'i'] }), /empty\.txt.*no recording names/],
    ['a bad concurrency', async () => ({ args: ['download', await list('n.txt', ['a.wav']), '--out', join(work, 'out'), '--instance', 'i', '--concurrency', '0'] }), /--concurrency must be a whole number from 1 to 64/],
    ['a bad rate', async () => ({ args: ['download', await list('n.txt', ['a.wav']), '--out', join(work, 'out'), '--instance', 'i', '--max-rate', 'fast'] }), /--max-rate/],
    ['resume of a folder with no export', async () => ({ args: ['resume', join(work, 'out')] }), /no export to resume/],
    // Its password would be journalled; the message does not repeat it either.
    [
      'an endpoint with a password',
      async () => ({ args: ['download', await list('n.txt', ['a.wav']), '--out', join(work, 'out'), '--instance', 'i', '--endpoint', 'http://user:hunter2@127.0.0.1:1/'] }),
      /^ccc-recordings: --endpoint must be an http\(s\) URL without user or password(?!.*hunter2)/,
    ],
    [
      'a layout and a template at once',
      async () => ({ args: ['download', await list('n.txt', ['a.wav']), '--out', join(work, 'out'), '--instance', 'i', '--layout', 'by-date', '--name-template', '{agent}/{fileName}'] }),
      /--layout and --name-template both say where the files go/,
    ],
    // --time-zone alone is a flat template: by-date would have been written flat.
    [
      'a layout and a time zone at once',
      async () => ({ args: ['download', await list('n.txt', ['a.wav']), '--out', join(work, 'out'), '--instance', 'i', '--layout', 'by-date', '--time-zone', 'Asia/Shanghai'] }),
      /--layout files by China Standard Time.*--name-template by-date --time-zone <zone>/,
    ],
    ['a region no host can have', async () => ({ args: ['download', await list('n.txt', ['a.wav']), '--out', join(work, 'out'), '--instance', 'i', '--region', 'cn shanghai/../x'] }), /--region "cn shanghai\/\.\.\/x" must be lower-case letters/],
  ]
  it.each(cases)('%s', async (_label, make, pattern) => {
    const { args, env: override } = await make()
    const r = await runCli(args, { ...env, ...override })
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(pattern)
    expect(await exists(join(work, 'out'))).toBe(false)
  })
})
