import { resolve } from 'node:path'
import { LayoutSchema } from '../common/api.ts'
import { parseRate } from '../engine/export/bandwidth.ts'
import { DEFAULT_OPTIONS, ExportRunner } from '../engine/export/runner.ts'
import { importNames, type ImportResult } from '../engine/import/csv.ts'
import { parse, intOption } from './args.ts'
import { connect } from './connect.ts'
import { UsageError } from './exit-codes.ts'
import { cliLogger, type CliIo } from './io.ts'
import { runInTerminal } from './run-export.ts'

export const DOWNLOAD_USAGE =
  'ccc-recordings download <names.csv|-> --out <dir> --instance <id> [--region cn-shanghai] [--endpoint <url>] [--concurrency 6] [--profile <name>] [--layout flat|by-date] [--max-rate 5MB/s] [--column <name>] [--json]'

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  instance: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  concurrency: { type: 'string', short: 'c' },
  profile: { type: 'string' },
  layout: { type: 'string' },
  'max-rate': { type: 'string' },
  column: { type: 'string' },
  json: { type: 'boolean' },
} as const

export async function downloadCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, { min: 1, max: 1, usage: DOWNLOAD_USAGE })
  const list = positionals[0]!
  if (!values.out) throw new UsageError(`--out <dir> is required; usage: ${DOWNLOAD_USAGE}`)
  const concurrency = intOption(values.concurrency, '--concurrency', 1, 64) ?? DEFAULT_OPTIONS.concurrency
  const layout = LayoutSchema.safeParse(values.layout ?? 'flat')
  if (!layout.success) throw new UsageError(`--layout must be flat or by-date, not "${values.layout}"`)
  let maxBytesPerSecond: number | null = null
  if (values['max-rate'] !== undefined) {
    try {
      maxBytesPerSecond = parseRate(values['max-rate'])
    } catch (e) {
      throw new UsageError(`--max-rate: ${(e as Error).message}`)
    }
  }
  const outDir = resolve(io.cwd, values.out)

  // Credentials before the list: a million-row file is not worth reading for a missing key.
  const connection = await connect(io, values)
  const names = await readList(list, io, values.column)
  const log = cliLogger(io)
  const runner = await ExportRunner.open(
    outDir,
    { client: connection.client, fetch: connection.fetch, log },
    {
      instanceId: connection.instanceId,
      region: connection.region,
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      ...(connection.profile ? { profile: connection.profile } : {}),
      source: { kind: 'names', ...(list === '-' ? {} : { file: resolve(io.cwd, list) }) },
      options: { concurrency, layout: layout.data, maxBytesPerSecond },
    },
  )
  const added = runner.add(names.names)
  const known = names.names.length - added
  if (known > 0) io.stderr.write(`${known} of ${names.names.length} names are already in this export; verified files are not downloaded again\n`)
  return runInTerminal(runner, io, values.json === true)
}

/** The names of a list file (or stdin), with its problems told row by row on stderr. */
async function readList(list: string, io: CliIo, column: string | undefined): Promise<ImportResult> {
  const options = column === undefined ? {} : { column }
  const result = list === '-' ? await importNames(io.stdin, { fileName: 'stdin', ...options }) : await importNames(resolve(io.cwd, list), options)
  const label = list === '-' ? 'stdin' : list
  const c = result.counts
  for (const row of result.invalid.slice(0, 10)) io.stderr.write(`${label}: row ${row.row}: ${row.message}: "${row.value}" (skipped)\n`)
  if (c.invalid > 10) io.stderr.write(`${label}: ${c.invalid - 10} more invalid rows (skipped)\n`)
  if (c.names > 0 && (c.duplicates > 0 || c.blank > 0)) io.stderr.write(`${label}: ${c.names} names; ${c.duplicates} duplicates and ${c.blank} blank rows dropped\n`)
  if (result.names.length === 0) {
    throw new UsageError(c.invalid > 0 ? `${label}: no valid recording names (${c.invalid} invalid rows)` : `${label}: the list is empty: no recording names found`)
  }
  return result
}
