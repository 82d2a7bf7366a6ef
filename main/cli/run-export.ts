import { join } from 'node:path'
import type { ExportRunner } from '../engine/export/runner.ts'
import { REPORT_FILE } from '../engine/export/report.ts'
import type { CliIo } from './io.ts'
import { ProgressPrinter } from './progress-printer.ts'
import { cliLocale, formatSummary, summarize } from './summary.ts'

/**
 * Runs an opened export to its end in the terminal: progress on stderr, the summary (or one JSON
 * object with --json) on stdout. Ctrl-C pauses, saves and exits 130; a second Ctrl-C is obeyed at
 * once, which is still safe: every verified file is journalled or provable on disk.
 */
export async function runInTerminal(runner: ExportRunner, io: CliIo, json: boolean): Promise<number> {
  const started = Date.now()
  const { statusLine } = io.stderr
  const printer = new ProgressPrinter({ isTTY: io.stderr.isTTY === true, columns: io.stderr.columns ?? 80, write: (t) => io.stderr.write(t), ...(statusLine ? { statusLine } : {}) })
  const unsubscribe = runner.onProgress((p) => printer.update(p))
  let interrupts = 0
  const removeInterrupt = io.onInterrupt(() => {
    interrupts++
    if (interrupts === 1) {
      printer.end()
      io.stderr.write('Pausing: finishing the journal… (Ctrl-C again to quit at once)\n')
      void runner.pause()
    } else {
      process.exit(130)
    }
  })
  try {
    await runner.run()
  } finally {
    removeInterrupt()
    unsubscribe()
    printer.end()
  }
  const progress = runner.progress()
  const summary = summarize(
    progress,
    { outDir: runner.outDir, instanceId: runner.header.instanceId, elapsedSeconds: (Date.now() - started) / 1000, report: join(runner.outDir, REPORT_FILE) },
    cliLocale(io.env),
  )
  await runner.close()
  io.stdout.write(json ? `${JSON.stringify(summary)}\n` : formatSummary(summary))
  return summary.exitCode
}
