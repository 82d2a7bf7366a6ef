import { execFileSync, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DOMParser } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { cronLine } from '../../../main/engine/schedule/cron-line.ts'
import { launchdPlist } from '../../../main/engine/schedule/launchd-plist.ts'
import { checkPrintable, syncJob, withConfigDir } from '../../../main/engine/schedule/sync-job.ts'
import { serviceUnit, systemdAssignment, timerUnit } from '../../../main/engine/schedule/systemd-units.ts'
import { POWERSHELL, powershellString, taskXml, windowsArg } from '../../../main/engine/schedule/windows-task.ts'

/**
 * A job installed with CCC_RECORDINGS_CONFIG_DIR runs with it: no scheduler passes on the
 * environment `schedule install` ran in, so without it the job looks for its profile in the
 * default folder ("No profile is named …", exit 2). Each format carries it in its own way.
 */
const plist = createRequire(import.meta.url)('plist') as { parse(xml: string): unknown }

const VAR = 'CCC_RECORDINGS_CONFIG_DIR'
// What each format must escape: spaces, both quotes, %, $, &, <, a backslash and a non-ASCII name.
const config = `/srv/my config/"Q1" it's 100% $HOME & <zh> a\\b 录音`
const dir = '/srv/call archive'
const plain = syncJob(dir, { hour: 2, minute: 5 }, [process.execPath, '/opt/ccc/bin/ccc-recordings.js'], '/home/u/.config/CCC Recordings/logs')
const job = withConfigDir(plain, { [VAR]: 'relative/as typed' }, config)

describe('the job and the settings folder', () => {
  it('takes the folder only when the variable was set (and not empty), and refuses a control character in it', () => {
    expect(job.configDir).toBe(config)
    expect(job.argv).toEqual(plain.argv)
    expect(withConfigDir(plain, {}, '/home/u/.config/ccc-recordings')).toBe(plain)
    expect(withConfigDir(plain, { [VAR]: '' }, '/home/u/.config/ccc-recordings')).toBe(plain)
    // XDG_CONFIG_HOME moves the folder on Linux, and cron and systemd do not pass it on: carried too.
    expect(withConfigDir(plain, { XDG_CONFIG_HOME: '/data/cfg' }, '/data/cfg/ccc-recordings', 'linux')).toEqual({ ...plain, configDir: '/data/cfg/ccc-recordings' })
    expect(withConfigDir(plain, { XDG_CONFIG_HOME: 'relative' }, '/home/u/.config/ccc-recordings', 'linux')).toBe(plain)
    expect(withConfigDir(plain, { XDG_CONFIG_HOME: '/data/cfg' }, '/Users/u/Library/Application Support/CCC Recordings', 'darwin')).toBe(plain)
    expect(() => checkPrintable(withConfigDir(plain, { [VAR]: 'x' }, '/srv/a\nb'))).toThrow(/control character/)
  })
})

describe('systemd', () => {
  it('an Environment= line, quoted whole, with C escapes and %% but $ as it is', () => {
    expect(systemdAssignment(VAR, config)).toBe(`"${VAR}=/srv/my config/\\"Q1\\" it's 100%% $HOME & <zh> a\\\\b 录音"`)
    expect(serviceUnit(job)).toContain(`Type=oneshot\nEnvironment=${systemdAssignment(VAR, config)}\nExecStart=`)
    expect(serviceUnit(job).replace(/^Environment=.*\n/m, '')).toBe(serviceUnit(plain))
    expect(serviceUnit(plain)).not.toContain('Environment=')
  })

  it.skipIf(spawnSync('systemd-analyze', ['--version']).status !== 0)('passes systemd-analyze verify', async () => {
    const units = await mkdtemp(join(tmpdir(), 'units-'))
    try {
      await writeFile(join(units, `${job.name}.service`), serviceUnit(job))
      await writeFile(join(units, `${job.name}.timer`), timerUnit(job))
      const r = spawnSync('systemd-analyze', ['verify', '--user', join(units, `${job.name}.timer`), join(units, `${job.name}.service`)], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: units } })
      expect(r.status).toBe(0)
      expect(r.stderr.split('\n').filter((l) => l.includes(units))).toEqual([])
    } finally {
      await rm(units, { recursive: true, force: true })
    }
  })
})

describe('cron', () => {
  it('an assignment before the command, quoted for sh', () => {
    expect(cronLine(job)).toBe(cronLine(plain).replace('* * * ', `* * * ${VAR}='/srv/my config/"Q1" it'\\''s 100\\% $HOME & <zh> a\\b 录音' `))
  })

  it('the command, run by /bin/sh as cron runs it, sees the folder without the variable in its own environment', async () => {
    const work = await mkdtemp(join(tmpdir(), 'cron-env-'))
    try {
      const probe = { ...job, argv: [process.execPath, '-e', `process.stdout.write(process.env.${VAR} ?? 'unset')`], outFile: join(work, 'out 100%.log') }
      // cron hands sh what follows the five time fields, a `\%` made `%` (crontab(5)).
      const command = cronLine(probe).replace(/^(\S+ ){5}/, '').replace(/\\%/g, '%')
      execFileSync('/bin/sh', ['-c', command], { env: { PATH: process.env.PATH } })
      expect(await readFile(probe.outFile, 'utf8')).toBe(config)
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })
})

describe('launchd', () => {
  it('EnvironmentVariables in the plist, which parses back to the folder', () => {
    const parsed = plist.parse(launchdPlist(job)) as Record<string, unknown>
    expect(parsed.EnvironmentVariables).toEqual({ [VAR]: config })
    expect(parsed.ProgramArguments).toEqual(job.argv)
    expect((plist.parse(launchdPlist(plain)) as Record<string, unknown>).EnvironmentVariables).toBeUndefined()
  })
})

/** The arguments as CommandLineToArgvW reads them: 2n backslashes and a quote are n and a quote that toggles; 2n+1, n and a literal quote. */
function argvOf(line: string): string[] {
  const out: string[] = []
  let word = ''
  let inWord = false
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === '\\') {
      let n = 0
      for (; line[i] === '\\'; i++) n++
      if (line[i] === '"') {
        word += '\\'.repeat(n >> 1)
        if (n % 2 === 1) word += '"'
        else quoted = !quoted
      } else {
        word += '\\'.repeat(n)
        i--
      }
      inWord = true
    } else if (c === '"') {
      quoted = !quoted
      inWord = true
    } else if ((c === ' ' || c === '\t') && !quoted) {
      if (inWord) out.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (inWord) out.push(word)
  return out
}

/** PowerShell's single-quoted literals in `script`, read back: a doubled quote of any of its four kinds is one. */
const literal = `'((?:[^'\u2018\u2019\u201a\u201b]|['\u2018\u2019\u201a\u201b]{2})*)'`
const unquote = (s: string) => s.slice(1, -1).replace(/(['\u2018\u2019\u201a\u201b])\1/g, '$1')

describe('Windows Task Scheduler', () => {
  const winConfig = 'C:\\Users\\李 雷\\CCC config\\it’s ‘q’ 100% & ^ $env:HOME'
  const winPlain = syncJob('D:\\call archive', { hour: 2, minute: 5 }, ['C:\\Program Files\\nodejs\\node.exe', 'C:\\Users\\李 雷\\AppData\\Roaming\\npm\\node_modules\\ccc-recordings\\bin\\ccc-recordings.js'], 'C:\\Users\\李 雷\\AppData\\Roaming\\CCC Recordings\\logs')
  const winJob = withConfigDir(winPlain, { [VAR]: 'x' }, winConfig)

  /** The task's text in `tag`, the XML well-formed. */
  function taskText(xml: string): (tag: string) => string {
    const errors: string[] = []
    const doc = new DOMParser({ errorHandler: { warning: (m: string) => void errors.push(m), error: (m: string) => void errors.push(m), fatalError: (m: string) => void errors.push(m) } }).parseFromString(xml, 'text/xml')
    expect(errors).toEqual([])
    return (tag) => doc.getElementsByTagName(tag)[0]?.textContent ?? ''
  }

  it('runs the job through PowerShell, which sets the folder first and passes the exit code on', () => {
    const text = taskText(taskXml(winJob))
    expect(text('Command')).toBe(POWERSHELL)
    const args = argvOf(text('Arguments'))
    expect(args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command'])
    expect(args).toHaveLength(4)
    const m = new RegExp(`^\\$env:${VAR} = (${literal}); & ((?:${literal} ?)+); exit \\$LASTEXITCODE$`).exec(args[3]!)
    expect(m, args[3]).not.toBeNull()
    expect(unquote(m![1]!)).toBe(winConfig)
    expect(m![3]!.match(new RegExp(literal, 'g'))!.map(unquote)).toEqual(winJob.argv)
    expect(text('StartBoundary')).toBe('2024-01-01T02:05:00')
  })

  it('doubles the trailing backslash of a share root with a space, which PowerShell 5.1 passes on in quotes as it is', () => {
    const share = withConfigDir(syncJob('\\\\nas\\call recordings\\', { hour: 2, minute: 5 }, winPlain.argv.slice(0, 2), 'C:\\logs'), { [VAR]: 'x' }, 'C:\\cfg')
    const script = argvOf(taskText(taskXml(share))('Arguments'))[3]!
    const handedOn = script.slice(script.indexOf('& ')).match(new RegExp(literal, 'g'))!.map(unquote)
    // What Windows PowerShell 5.1 writes on the program's command line: a spaced argument quoted, nothing escaped.
    const line = handedOn.slice(1).map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')
    expect(argvOf(line)).toEqual(share.argv.slice(1))
  })

  it('quotes PowerShell literals, and leaves a task without the folder as it was', () => {
    expect(powershellString("it's")).toBe("'it''s'")
    expect(powershellString('‘a’')).toBe("'‘‘a’’'")
    const text = taskText(taskXml(winPlain))
    expect(text('Command')).toBe(winPlain.argv[0])
    expect(argvOf(text('Arguments'))).toEqual(winPlain.argv.slice(1))
    expect(text('Arguments')).toBe(winPlain.argv.slice(1).map(windowsArg).join(' '))
  })
})
