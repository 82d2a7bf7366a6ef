import { xmlText } from './launchd-plist.ts'
import type { SyncJob } from './sync-job.ts'

/** One argument as CommandLineToArgvW reads it back: quoted, backslashes before a quote doubled. */
export function windowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`
}

/**
 * A Task Scheduler task (`schtasks /Create /XML`): daily at the local time, as the user, only
 * while logged on (so Credential Manager holds the profile's secret and no password is stored),
 * started late when the machine was off, one at a time.
 */
export function taskXml(job: SyncJob): string {
  const hh = String(job.hour).padStart(2, '0')
  const mm = String(job.minute).padStart(2, '0')
  const [command, ...args] = job.argv
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
    `    <Exec><Command>${xmlText(command ?? '')}</Command><Arguments>${xmlText(args.map(windowsArg).join(' '))}</Arguments></Exec>`,
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n')
}

/** schtasks reads a task file as UTF-16 (little-endian, with its byte-order mark). */
export function taskXmlBytes(job: SyncJob): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(taskXml(job), 'utf16le')])
}
