import { execFileSync, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DOMParser } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { cronLine, shellWord, withCronLine, withoutCronLine } from '../../../main/engine/schedule/cron-line.ts'
import { launchdPlist } from '../../../main/engine/schedule/launchd-plist.ts'
import { jobName, parseAt, syncJob } from '../../../main/engine/schedule/sync-job.ts'
import { serviceUnit, systemdWord, timerUnit } from '../../../main/engine/schedule/systemd-units.ts'
import { taskXml, taskXmlBytes, windowsArg } from '../../../main/engine/schedule/windows-task.ts'

// electron-builder's own plist reader (a dev dependency's), untyped.
const plist = createRequire(import.meta.url)('plist') as { parse(xml: string): unknown }

// A folder name with what each format must escape: a space, a quote, %, $, &, < and a non-ASCII name.
const dir = `/srv/call archive/"Q1" 100% $HOME & <zh> 录音`
const job = syncJob(dir, { hour: 2, minute: 5 }, [process.execPath, '/opt/ccc/bin/ccc-recordings.js'], '/home/u/.config/CCC Recordings/logs')

describe('the job', () => {
  it('is named by its folder, and --at is a local time of day', () => {
    expect(job.name).toBe(jobName(dir))
    expect(job.name).toMatch(/^ccc-recordings-sync-[0-9a-f]{8}$/)
    expect(job.argv.slice(2)).toEqual(['sync', dir, '--log', `/home/u/.config/CCC Recordings/logs/${job.name}.log`])
    expect(parseAt('02:00')).toEqual({ hour: 2, minute: 0 })
    expect(() => parseAt('24:00')).toThrow(/time of day/)
  })
})

describe('systemd units', () => {
  it('run sync daily at the time, with every word quoted and % and $ taken literally', () => {
    expect(timerUnit(job)).toContain('OnCalendar=*-*-* 02:05:00\nPersistent=true\n')
    expect(timerUnit(job)).toContain(`Unit=${job.name}.service`)
    expect(serviceUnit(job)).toContain('Type=oneshot\n')
    expect(systemdWord(dir)).toBe('"/srv/call archive/\\"Q1\\" 100%% $$HOME & <zh> 录音"')
    expect(serviceUnit(job)).toContain(`ExecStart="${process.execPath}" "/opt/ccc/bin/ccc-recordings.js" "sync" ${systemdWord(dir)} "--log"`)
  })

  it.skipIf(spawnSync('systemd-analyze', ['--version']).status !== 0)('pass systemd-analyze verify', async () => {
    const units = await mkdtemp(join(tmpdir(), 'units-'))
    // The user manager's runtime folder: a temp one, so no real session is needed (or touched).
    const verify = (...files: string[]) => spawnSync('systemd-analyze', ['verify', '--user', ...files], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: units } })
    try {
      await writeFile(join(units, `${job.name}.service`), serviceUnit(job))
      await writeFile(join(units, `${job.name}.timer`), timerUnit(job))
      const r = verify(join(units, `${job.name}.timer`), join(units, `${job.name}.service`))
      expect(r.status).toBe(0)
      expect(r.stderr.split('\n').filter((l) => l.includes(units))).toEqual([])
      // The verifier does read the files: a wrong line is reported.
      await writeFile(join(units, 'broken.service'), serviceUnit(job).replace('Type=oneshot', 'Type=bogus'))
      expect(verify(join(units, 'broken.service')).stderr).toMatch(/broken\.service:\d+: Failed to parse service type/)
    } finally {
      await rm(units, { recursive: true, force: true })
    }
  })
})

describe('cron', () => {
  it('one line at the time, quoted for sh with % escaped, found again by its marker', () => {
    expect(cronLine(job).startsWith(`5 2 * * * '${process.execPath}' `)).toBe(true)
    expect(cronLine(job)).toContain(`${shellWord(dir)} '--log'`)
    expect(shellWord("it's 100%")).toBe(`'it'\\''s 100\\%'`)
    expect(cronLine(job).endsWith(`2>&1 # ${job.name}`)).toBe(true)
    const mine = '0 1 * * * backup.sh\n'
    const withJob = withCronLine(mine, job)
    expect(withJob).toBe(`0 1 * * * backup.sh\n${cronLine(job)}\n`)
    expect(withCronLine(withJob, { ...job, hour: 3 }).split('\n').filter(Boolean)).toHaveLength(2)
    expect(withoutCronLine(withJob, job.name)).toBe(mine)
  })

  it('the quoted words come back whole through sh', () => {
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${shellWord(dir).replace(/\\%/g, '%')}`], { encoding: 'utf8' })
    expect(words).toBe(`${dir}\n`)
  })
})

describe('launchd', () => {
  it('a plist that parses back to the job', () => {
    const parsed = plist.parse(launchdPlist(job)) as Record<string, unknown>
    expect(parsed).toEqual({
      Label: `com.ccc-recordings.${job.name}`,
      ProgramArguments: job.argv,
      StartCalendarInterval: { Hour: 2, Minute: 5 },
      StandardOutPath: job.outFile,
      StandardErrorPath: job.outFile,
      ProcessType: 'Background',
    })
  })
})

describe('Windows Task Scheduler', () => {
  it('task XML, well-formed, daily at the time, in UTF-16 with its BOM', () => {
    const errors: string[] = []
    const doc = new DOMParser({ errorHandler: { warning: (m: string) => void errors.push(m), error: (m: string) => void errors.push(m), fatalError: (m: string) => void errors.push(m) } }).parseFromString(taskXml(job), 'text/xml')
    expect(errors).toEqual([])
    const text = (tag: string) => doc.getElementsByTagName(tag)[0]?.textContent
    expect(text('StartBoundary')).toBe('2024-01-01T02:05:00')
    expect(text('DaysInterval')).toBe('1')
    expect(text('LogonType')).toBe('InteractiveToken')
    expect(text('Command')).toBe(process.execPath)
    expect(text('Arguments')).toBe(`/opt/ccc/bin/ccc-recordings.js sync ${windowsArg(dir)} --log ${windowsArg(job.argv.at(-1)!)}`)
    const bytes = taskXmlBytes(job)
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe])
    expect(bytes.subarray(2).toString('utf16le')).toBe(taskXml(job))
  })

  it('arguments quoted as CommandLineToArgvW reads them', () => {
    expect(windowsArg('C:\\plain')).toBe('C:\\plain')
    expect(windowsArg('C:\\with space\\')).toBe('"C:\\with space\\\\"')
    expect(windowsArg('say "hi"')).toBe('"say \\"hi\\""')
    expect(windowsArg('')).toBe('""')
  })
})
