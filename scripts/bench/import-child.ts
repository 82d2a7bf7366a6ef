/** d, in its own process so the peak RSS is the import's: importNames(<file>), one JSON line out. */
import { importNames } from '../../main/engine/import/csv.ts'

const file = process.argv[2]
if (!file) {
  console.error('usage: import-child.ts <file>')
  process.exit(2)
}
const started = performance.now()
const result = await importNames(file)
const ms = performance.now() - started
console.log(
  JSON.stringify({
    ms,
    names: result.counts.names,
    rows: result.counts.rows,
    duplicates: result.counts.duplicates,
    encoding: result.encoding,
    column: result.column.name,
    heapMb: process.memoryUsage().heapUsed / 2 ** 20,
  }),
)
