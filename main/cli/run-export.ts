import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { ExportRunner } from '../engine/export/runner.ts'
import type { CccError } from '../common/errors.ts'
import { toCccError } from '../engine/errno.ts'
import { REPORT_FILE, writeReport } from '../engine/export/report.ts'
import { EXIT, interruptedBy } from './exit-codes.ts'
import type { CliIo } from './io.ts'
import { ProgressPrinter } from './progress-printer.ts'
import { cliLocale, formatSummary, type NextSteps, RESUME_STEPS, summarize, withEarlierFailures } from './summary.ts'

export interface TerminalOptions {
  /** What the summary says to do next; `resume`'s by default. */
  readonly next?: NextSteps
  /** A sync's count, at the end, of failures an earlier night reported (sync-run.ts). */
  readonly failedEarlier?: () => number
  /**
   * Runs once the export is over and closed, before the summary is printed, with its exit code;
   * what it returns joins the --json object (a sync's window and mark), so a script reads one.
   * When it throws, the summary is still printed first: the run's counts are never lost to it.
   */
  readonly finish?: (exitCode: number) => Promise<Readonly<Record<string, unknown>>>
}

/**
 * Runs an opened export to its end in the terminal: progress on stderr, the summary (or one JSON
 * object with --json) on stdout. Ctrl-C pauses, saves and exits 130 (SIGTERM: 143); a second Ctrl-C is obeyed at
 * once, which is still safe: every verified file is journalled or provable on disk.
 */
export async function runInTerminal(runner: ExportRunner, io: CliIo, json: boolean, options: TerminalOptions = {}): Promise<number> {
  const { next = RESUME_STEPS, failedEarlier, finish } = options
  const started = Date.now()
  const { statusLine } = io.stderr
  const printer = new ProgressPrinter({ isTTY: io.stderr.isTTY === true, columns: io.stderr.columns ?? 80, write: (t) => io.stderr.write(t), ...(statusLine ? { statusLine } : {}) })
  const unsubscribe = runner.onProgress((p) => printer.update(p))
  let interrupts = 0
  let signal: NodeJS.Signals | undefined
  const removeInterrupt = io.onInterrupt((s) => {
    interrupts++
    if (interrupts === 1) {
      signal = s
      printer.end()
      io.stderr.write(`Pausing: finishing the journal… (${s === 'SIGTERM' ? 'SIGTERM' : 'Ctrl-C'} again to quit at once)\n`)
      void runner.pause()
    } else {
      process.exit(interruptedBy(s))
    }
  })
  // A run that throws (its journal could not be written: a full disk) still ends like a pause.
  let failure: CccError | undefined
  try {
    await runner.run()
  } catch (e) {
    failure = toCccError(e)
  } finally {
    removeInterrupt()
    unsubscribe()
    printer.end()
  }
  if (failure) await endFailedRun(runner, failure)
  const progress = failure ? { ...runner.progress(), state: 'paused' as const, reason: failure.toData() } : runner.progress()
  const report = join(runner.outDir, REPORT_FILE)
  const summarized = summarize(progress, { outDir: runner.outDir, instanceId: runner.header.instanceId, elapsedSeconds: (Date.now() - started) / 1000, report }, cliLocale(io.env))
  // A full disk can keep the report from being written: the line must not point to an old one as this run's.
  const written = (await writtenSince(report, started)) ? summarized : { ...summarized, reportStale: true as const }
  const counted = withEarlierFailures(written, failedEarlier?.() ?? 0)
  const summary = counted.exitCode === EXIT.interrupted ? { ...counted, exitCode: interruptedBy(signal) } : counted
  if (!failure) await runner.close()
  let more: Readonly<Record<string, unknown>> = {}
  let finishFailed: { readonly error: unknown } | undefined
  try {
    more = finish ? await finish(summary.exitCode) : {}
  } catch (error) {
    finishFailed = { error }
  }
  // The summary's own fields win: what `finish` adds can never change the run's counts or code.
  io.stdout.write(json ? `${JSON.stringify({ ...more, ...summary })}\n` : formatSummary(summary, next))
  if (finishFailed) throw finishFailed.error
  return summary.exitCode
}

/** Whether `file` was written at or after `since` (ms); FAT's mtime is to 2 s. */
function writtenSince(file: string, since: number): Promise<boolean> {
  return stat(file).then(
    (s) => s.mtimeMs >= since - 2000,
    () => false,
  )
}

/**
 * After a run that threw: the lock is released and the report written as far as they can be. A
 * full disk or a refused write is then summarised like the pause it is (exit 4); anything else
 * goes on to the CLI's last resort.
 */
async function endFailedRun(runner: ExportRunner, failure: CccError): Promise<void> {
  await writeReport(runner.outDir, runner.table).catch(() => undefined)
  await runner.close().catch(() => undefined)
  if (failure.handling !== 'pause' && failure.code !== 'Local.WriteFailed') throw failure
}
