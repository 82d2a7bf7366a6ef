import { writeOutputs } from '../calls/export-outputs.ts'
import { toCccError } from '../errno.ts'
import type { Logger } from '../log.ts'
import type { Ledger } from './ledger.ts'
import { isSettled, type RunState } from './state.ts'

/**
 * How a run ends on disk: its state journalled, the journal flushed, the report and manifest
 * written. A journal that cannot be written (a full disk) makes it a pause for that reason: what
 * is not journalled is not done.
 */
export async function settleRun(ledger: Ledger, outDir: string, log: Logger, end: RunState, at: number): Promise<RunState> {
  if (isSettled(end)) ledger.state(end, at)
  const failed = await ledger.flush().then(
    () => undefined,
    (e: unknown) => toCccError(e).toData(),
  )
  await writeOutputs(outDir, ledger.table, log)
  return failed ? { kind: 'paused', reason: failed } : end
}
