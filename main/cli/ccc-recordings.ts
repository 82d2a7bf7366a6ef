import { readFileSync } from 'node:fs'
import { catalogEntry, isKnownCode } from '../common/error-catalog.ts'
import { isCccError } from '../common/errors.ts'
import { redact } from '../common/redact.ts'
import { downloadCommand, DOWNLOAD_USAGE } from './download-command.ts'
import { EXIT, isInputError, UsageError } from './exit-codes.ts'
import { type CliIo, processIo } from './io.ts'
import { profilesCommand, PROFILES_USAGE } from './profiles-command.ts'
import { RESUME_USAGE, resumeCommand } from './resume-command.ts'
import { SCHEDULE_USAGE, scheduleCommand } from './schedule-command.ts'
import { STATUS_USAGE, statusCommand } from './status-command.ts'
import { SYNC_USAGE, syncCommand } from './sync-command.ts'
import { cliLocale } from './summary.ts'
import { VERIFY_USAGE, verifyCommand } from './verify-command.ts'

const USAGES: Readonly<Record<string, string>> = {
  download: DOWNLOAD_USAGE,
  resume: RESUME_USAGE,
  sync: SYNC_USAGE,
  schedule: SCHEDULE_USAGE,
  status: STATUS_USAGE,
  verify: VERIFY_USAGE,
  profiles: PROFILES_USAGE,
}

const NOTES = `Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN
for STS) when set, else --profile, else the default profile (secrets live in the system keychain).
Exit codes: 0 all verified on disk; 2 bad usage or input; 3 finished, some files failed (verify:
            some files missing, changed or unexpected);
            4 stopped (export-fatal error: correct the setting and run again) or paused by a full
            disk (free space, then resume); 130 interrupted (resume continues).
`

const HELP = `ccc-recordings: bulk-download Alibaba Cloud Contact Center recordings, verified and resumable.

Usage: ${Object.values(USAGES).join('\n       ')}

${NOTES}`

const isHelp = (arg: string): boolean => arg === '--help' || arg === '-h'

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  // `ccc-recordings download --help`, `profiles add -h`: that command's usage, whatever else is given.
  const usage = command === undefined ? undefined : USAGES[command]
  if (usage !== undefined && rest.some(isHelp)) {
    io.stdout.write(`Usage: ${usage}\n\n${NOTES}`)
    return EXIT.ok
  }
  // Whether a command printed its own JSON: a failure after that (a sync whose settings could not
  // be saved after its summary) must not add a second object to stdout.
  let printed = false
  const stdout = new Proxy(io.stdout, {
    get(target, prop) {
      if (prop === 'write') {
        return (text: string) => {
          printed = true
          return target.write(text)
        }
      }
      const value: unknown = Reflect.get(target, prop)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
  const ran = { ...io, stdout }
  try {
    switch (command) {
      case 'download':
        return await downloadCommand(rest, ran)
      case 'resume':
        return await resumeCommand(rest, ran)
      case 'sync':
        return await syncCommand(rest, ran)
      case 'schedule':
        return await scheduleCommand(rest, ran)
      case 'status':
        return await statusCommand(rest, ran)
      case 'verify':
        return await verifyCommand(rest, ran)
      case 'profiles':
        return await profilesCommand(rest, ran)
      case '--version':
      case '-v':
        io.stdout.write(`${version()}\n`)
        return EXIT.ok
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(HELP)
        return command === undefined ? EXIT.usage : EXIT.ok
      default:
        throw new UsageError(`unknown command "${command}"; run ccc-recordings --help`)
    }
  } catch (e) {
    const code = reportError(e, io)
    // A script that asked for JSON parses stdout whatever happened: the refusal is an object too.
    if (rest.includes('--json') && !printed) io.stdout.write(`${JSON.stringify(errorObject(e, code))}\n`)
    return code
  }
}

/** What `--json` prints when a command ends in an error: its code, its message (redacted) and the exit code. */
function errorObject(e: unknown, exitCode: number): { error: { code: string; message: string }; exitCode: number } {
  const message = redact(e instanceof Error ? e.message : String(e))
  return { error: { code: isCccError(e) ? e.code : 'Unknown', message }, exitCode }
}

/**
 * What escaped a command, by its catalog code: bad usage or input is one line and exit 2; any
 * other catalogued failure names its code, and only a truly unknown one is "unexpected" (exit 1).
 */
function reportError(e: unknown, io: CliIo): number {
  const message = redact(e instanceof Error ? e.message : String(e))
  if (isInputError(e)) {
    // Named by its code, as Troubleshooting and a search know it; a usage error's message is all.
    io.stderr.write(`ccc-recordings: ${e.code === 'Usage' ? '' : `${e.code}: `}${message}\n`)
    // The message is English; a Chinese terminal also gets the code explained in its language.
    if (e.code !== 'Usage' && isKnownCode(e.code) && cliLocale(io.env) === 'zh-CN') {
      const entry = catalogEntry(e.code)
      io.stderr.write(`${entry.meaning['zh-CN']}。${entry.action['zh-CN']}\n`)
    }
    return EXIT.usage
  }
  const known = isCccError(e) && e.code !== 'Unknown'
  if (known) {
    const action = catalogEntry(e.code).action[cliLocale(io.env)]
    io.stderr.write(`ccc-recordings: ${e.code}: ${message}\n${action}\n`)
  } else {
    io.stderr.write(`ccc-recordings: unexpected error: ${message}\n`)
  }
  if (io.env.CCC_RECORDINGS_DEBUG === '1' && e instanceof Error && e.stack) io.stderr.write(`${redact(e.stack)}\n`)
  // A named error that ends a command (a bad key in a dry run's listing, a full disk) stopped it as
  // it stops a run: exit 4, what the README gives it. 1 is left for what has no name: a bug.
  return known ? EXIT.fatal : EXIT.failure
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

/** Entry point of the `ccc-recordings` bin (bin/ccc-recordings.js). */
export async function run(): Promise<void> {
  const code = await main(process.argv.slice(2), processIo())
  // Keep-alive sockets and the stdin listener would otherwise hold the process open.
  process.exitCode = code
  setImmediate(() => process.exit(code))
}
