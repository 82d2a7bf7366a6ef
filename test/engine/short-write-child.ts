/**
 * Run under a file-size limit (`ulimit -f`): write(2) then takes what fits, returns a short
 * count, and refuses the next write with EFBIG, as a disk that fills up mid-write does. Writes a
 * journal and replaces a report past the limit and prints what each made of it, as one JSON line.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { replaceFile } from '../../main/engine/atomic-file.ts'
import { ExportTable } from '../../main/engine/export/export-table.ts'
import { replayJournal } from '../../main/engine/export/journal.ts'
import { JournalWriter } from '../../main/engine/export/journal-writer.ts'

const dir = process.argv[2]!
// About 95 KB of journal, flushed in one go (below the writer's 256 KB), and a 48 KB report,
// written in one piece (below the atomic writer's 64 KB): each is one write past the limit.
const names = Array.from({ length: 2_500 }, (_, i) => `1790812800000-caller-${String(i).padStart(6, '0')}.wav`)

const journal = await JournalWriter.open(dir)
for (let i = 0; i < names.length; i += 500) journal.append({ type: 'add', names: names.slice(i, i + 500) })
const flushed = await journal.flush().then(
  () => 'resolved',
  (e: { code?: string }) => e.code,
)
const table = new ExportTable()
const replay = await replayJournal(dir, (e) => table.apply(e))

const report = join(dir, 'report.csv')
await writeFile(report, 'the old report\n')
const replaced = await replaceFile(report, names.slice(0, 1_300).map((n) => `${n},done\n`)).then(
  () => 'resolved',
  (e: { code?: string }) => e.code,
)
console.log(
  JSON.stringify({
    flushed,
    namesReplayed: table.size,
    damaged: replay.damaged.length,
    replaced,
    report: await readFile(report, 'utf8'),
    files: (await readdir(dir)).sort(),
  }),
)
await journal.close().catch(() => undefined)
