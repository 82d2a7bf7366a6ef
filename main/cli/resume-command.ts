import { resolve } from 'node:path'
import { CONCURRENCY } from '../common/export-options.ts'
import { isKnownCode } from '../common/error-catalog.ts'
import type { FailureGroup } from '../common/progress.ts'
import { terminalSafe } from '../common/terminal-text.ts'
import { recheckCount } from '../engine/export/disk-check.ts'
import { Exports, type ResumeOverrides } from '../engine/export/exports.ts'
import { durationOption, intOption, parse } from './args.ts'
import { connect } from './connect.ts'
import { UsageError } from './exit-codes.ts'
import { triedAgain } from './summary.ts'
import { cliLogger, type CliIo } from './io.ts'
import { tellRecheck } from './recheck-note.ts'
import { applyMaxRate, rateNow, readMaxRate } from './rate-option.ts'
import { runInTerminal } from './run-export.ts'

export const RESUME_USAGE =
  'ccc-recordings resume <dir> [--retry <code>|all] [--concurrency N] [--max-rate <rate|timetable|off>] [--profile <name>] [--instance <id>] [--region <id>] [--endpoint <url>] [--give-up-after 4h] [--json]'

const OPTIONS = {
  concurrency: { type: 'string', short: 'c' },
  'max-rate': { type: 'string' },
  profile: { type: 'string' },
  instance: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  json: { type: 'boolean' },
  'give-up-after': { type: 'string' },
  retry: { type: 'string' },
} as const

/**
 * Continues an export from its journal: the instance, region and options are the export's own,
 * unless --instance, --region or --endpoint corrects them (taken into the journal while no file
 * is verified yet: an export that stopped on a wrong setting is not bound to it).
 */
export async function resumeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, { min: 1, max: 1, usage: RESUME_USAGE })
  const outDir = resolve(io.cwd, positionals[0]!)
  const concurrency = intOption(values.concurrency, '--concurrency', CONCURRENCY.min, CONCURRENCY.max)
  const rate = values['max-rate'] === undefined ? undefined : readMaxRate(values['max-rate'])
  const maxBytesPerSecond = rate === undefined ? undefined : rateNow(rate)
  const giveUpAfterMs = durationOption(values['give-up-after'], '--give-up-after')
  const exports = new Exports({
    // The journal's instance, region and endpoint; its profile unless --profile names another.
    clientFor: (c) => connect(io, { profile: c.profile, instance: c.instanceId, region: c.region, endpoint: c.endpoint }),
    log: cliLogger(io),
    ...(giveUpAfterMs === undefined ? {} : { tuning: { network: { giveUpAfterMs } } }),
  })
  const overrides: ResumeOverrides = {
    ...(values.profile === undefined ? {} : { profile: values.profile }),
    ...(values.instance === undefined ? {} : { instanceId: values.instance }),
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(maxBytesPerSecond === undefined ? {} : { maxBytesPerSecond }),
  }
  // No export there (Export.NotFound) is bad input: exit 2 with the service's words.
  const runner = await exports.resume(outDir, overrides)
  if (runner.replay && runner.replay.damaged.length > 0) {
    io.stderr.write(`note: skipped ${runner.replay.damaged.length} damaged journal line(s) (a crash mid-write, or not valid); the files they named are checked again\n`)
  }
  tellRecheck(recheckCount(runner.replay?.disk), io)
  // A mistyped --retry code is refused before anything is requeued or said.
  const asked = values.retry?.trim()
  if (asked !== undefined && asked.toLowerCase() !== 'all' && !isKnownCode(asked) && !asked.startsWith('Throttling')) {
    const failed = runner.table.failures()
    if (!failed.some((f) => f.code === asked)) {
      await runner.close()
      throw new UsageError(unknownRetryCode(asked, failed))
    }
  }
  // What failed for a passing reason (network, timeout, 5xx, throttling) is worth another try
  // now; a recording the service said does not exist is not.
  const retried = runner.retryTransient()
  // A contacts export's retries count its failed lookups too.
  const what = runner.header.source.kind === 'contacts' ? 'files or contact lookups' : 'files'
  if (retried > 0) io.stderr.write(`${triedAgain(retried, what, ' for a passing reason (network, timeout, server busy)')}\n`)
  // The app's "Retry this group" / "Retry all failed": after the cause was mended (a file moved
  // out of the way, a permission granted), what failed for good is worth another try too.
  if (asked !== undefined) {
    const again = asked.toLowerCase() === 'all' ? runner.retryGroup() : runner.retryGroup(asked)
    io.stderr.write(`${triedAgain(again, what, asked.toLowerCase() === 'all' ? '' : ` with ${terminalSafe(asked)}`)}\n`)
  }
  const stopRate = rate && 'timetable' in rate ? applyMaxRate(runner, rate) : () => undefined
  return runInTerminal(runner, io, values.json === true).finally(stopRate)
}

/** A `--retry` code that is no catalog code and no failure here: a typo, said with the codes that did fail. */
function unknownRetryCode(asked: string, failed: readonly FailureGroup[]): string {
  const near = failed.find((f) => f.code.toLowerCase() === asked.toLowerCase())
  const codes = failed.map((f) => `${f.code} (${f.count})`).join(', ')
  const here = failed.length > 0 ? `the codes that failed here: ${codes}` : 'no file failed here'
  return `--retry ${terminalSafe(asked)}: no such error code, and no file failed with it${near ? `; did you mean ${near.code}?` : ''} (${here}; or --retry all)`
}
