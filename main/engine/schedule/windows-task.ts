import { CONFIG_DIR_ENV } from '../credentials/config-dir.ts'
import { xmlText } from './launchd-plist.ts'
import type { SyncJob } from './sync-job.ts'

/** One argument as CommandLineToArgvW reads it back: quoted, backslashes before a quote doubled. */
export function windowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`
}

/** Windows PowerShell where every Windows since 7 has it; Task Scheduler expands %SystemRoot% in an action's path. */
export const POWERSHELL = '%SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'

/** A PowerShell literal: single-quoted, so nothing in it is expanded; PowerShell reads the curly single quotes as quotes too, so those are doubled as well. */
export function powershellString(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`
}

/**
 * An argument as Windows PowerShell 5.1 hands it to a program: one with a space is put in quotes
 * as it is, so a trailing backslash (a share's root, `\\nas\call recordings\`) would escape the
 * closing quote for the program's parser; doubled, it reads back as one.
 */
export function nativeArg(arg: string): string {
  return /\s/.test(arg) ? arg.replace(/(\\+)$/, '$1$1') : arg
}

/**
 * The action's program and arguments. An action has no environment of its own, so a moved
 * settings folder goes through PowerShell, which sets the variable, runs the job and passes its
 * exit code on. Not `cmd /c set`: cmd expands %NAME% inside quotes too and reads ^ and & outside
 * them, where a single-quoted PowerShell string takes a path as it is. Not -EncodedCommand: it
 * hides the command from whoever opens the task, and malware scanners flag it. PowerShell 5.1
 * quotes a native argument that has a space but escapes no " in it, which a Windows path cannot hold.
 */
function action(job: SyncJob): { command: string; args: string } {
  const [command, ...args] = job.argv
  if (job.configDir === undefined) return { command: command ?? '', args: args.map(windowsArg).join(' ') }
  const script = `$env:${CONFIG_DIR_ENV} = ${powershellString(job.configDir)}; & ${job.argv.map((a) => powershellString(nativeArg(a))).join(' ')}; exit $LASTEXITCODE`
  return { command: POWERSHELL, args: `-NoProfile -NonInteractive -Command ${windowsArg(script)}` }
}

/**
 * A Task Scheduler task (`schtasks /Create /XML`): daily at the local time, as the user, only
 * while logged on (so Credential Manager holds the profile's secret and no password is stored),
 * started late when the machine was off, one at a time.
 */
export function taskXml(job: SyncJob): string {
  const hh = String(job.hour).padStart(2, '0')
  const mm = String(job.minute).padStart(2, '0')
  const { command, args } = action(job)
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    `  <RegistrationInfo><Description>${xmlText(`ccc-recordings sync of ${job.dir}`)}</Description><URI>\\${job.name}</URI></RegistrationInfo>`,
    '  <Triggers>',
    `    <CalendarTrigger><StartBoundary>2024-01-01T${hh}:${mm}:00</StartBoundary><Enabled>true</Enabled><ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>`,
    '  </Triggers>',
    '  <Principals><Principal id="Author"><LogonType>InteractiveToken</LogonType><RunLevel>LeastPrivilege</RunLevel></Principal></Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <StartWhenAvailable>true</StartWhenAvailable>',
    '    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>',
    '    <Enabled>true</Enabled>',
    '  </Settings>',
    '  <Actions Context="Author">',
    `    <Exec><Command>${xmlText(command)}</Command><Arguments>${xmlText(args)}</Arguments></Exec>`,
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n')
}

/** schtasks reads a task file as UTF-16 (little-endian, with its byte-order mark). */
export function taskXmlBytes(job: SyncJob): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(taskXml(job), 'utf16le')])
}
