/**
 * c, in its own process so the peak RSS is the replay's: opens the journal in <outDir> the way
 * ExportRunner.open does (replayJournal into an ExportTable) and prints one JSON line.
 */
import { ExportTable } from '../../main/engine/export/export-table.ts'
import { replayJournal } from '../../main/engine/export/journal.ts'

const outDir = process.argv[2]
if (!outDir) {
  console.error('usage: replay-child.ts <outDir>')
  process.exit(2)
}
const started = performance.now()
const table = new ExportTable()
const result = await replayJournal(outDir, (e) => table.apply(e))
const ms = performance.now() - started
console.log(JSON.stringify({ ms, events: result.events, damaged: result.damaged.length, files: table.size, done: table.counts.done, heapMb: process.memoryUsage().heapUsed / 2 ** 20 }))
