import { resolve } from 'node:path'
import { parseRate } from '../engine/export/bandwidth.ts'
import { journalExists, readExportHeader } from '../engine/export/journal.ts'
import { ExportRunner } from '../engine/export/runner.ts'
import { intOption, parse } from './args.ts'
import { connect } from './connect.ts'
import { UsageError } from './exit-codes.ts'
import { cliLogger, type CliIo } from './io.ts'
import { runInTerminal } from './run-export.ts'

export const RESUME_USAGE = 'ccc-recordings resume <dir> [--concurrency N] [--max-rate 5MB/s] [--profile <name>] [--json]'

const OPTIONS = {
  concurrency: { type: 'string', short: 'c' },
  'max-rate': { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
} as const

/** Continues an export from its journal: the instance, region and options are the export's own. */
export async function resumeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, { min: 1, max: 1, usage: RESUME_USAGE })
  const outDir = resolve(io.cwd, positionals[0]!)
  if (!(await journalExists(outDir))) throw new UsageError(`${outDir}: no export to resume here (no .ccc-recordings/journal.jsonl)`)
  const header = await readExportHeader(outDir)
  if (!header) throw new UsageError(`${outDir}: the export journal is damaged at its first line`)
  const concurrency = intOption(values.concurrency, '--concurrency', 1, 64)
  let maxRate: number | undefined
  if (values['max-rate'] !== undefined) {
    try {
      maxRate = parseRate(values['max-rate'])
    } catch (e) {
      throw new UsageError(`--max-rate: ${(e as Error).message}`)
    }
  }
  const connection = await connect(io, {
    profile: values.profile ?? header.profile,
    instance: header.instanceId,
    region: header.region,
    endpoint: header.endpoint,
  })
  const runner = await ExportRunner.open(outDir, { client: connection.client, fetch: connection.fetch, log: cliLogger(io) })
  if (runner.replay && runner.replay.damaged.length > 0) {
    io.stderr.write(`note: skipped ${runner.replay.damaged.length} damaged journal line(s) (a crash mid-write); the files they named are checked again\n`)
  }
  if (concurrency !== undefined || maxRate !== undefined) {
    runner.setLimits({ ...(concurrency === undefined ? {} : { concurrency }), ...(maxRate === undefined ? {} : { maxBytesPerSecond: maxRate }) })
  }
  // Failed files are retried on resume only by choice: `retry` stays an explicit act in the app.
  return runInTerminal(runner, io, values.json === true)
}
