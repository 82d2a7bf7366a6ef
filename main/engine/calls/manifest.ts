import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { csvLine, UTF8_BOM } from '../export/csv-write.ts'
import { AtomicWriter } from '../atomic-file.ts'
import { STATE_DIR } from '../export/journal.ts'
import { manifestCells, manifestHeader } from './manifest-csv.ts'
import { MANIFEST_CSV, MANIFEST_JSONL, type ManifestRow, manifestRecord, parseManifestLine, sidecarPath } from './manifest-row.ts'
import { textLines } from './text-lines.ts'

export { MANIFEST_CSV, MANIFEST_JSONL, type ManifestRow, sidecarPath } from './manifest-row.ts'
export { MANIFEST_COLUMNS } from './manifest-csv.ts'

/**
 * `manifest.csv` (UTF-8 with BOM, CRLF, for Excel and legal) and `manifest.jsonl` (the same records,
 * one JSON object a line, for programs and `verify`), both replaced whole (issue 13 item 4).
 *
 * The CSV's last columns are the CSV source's own headers, known only once every row is seen, and
 * `rows` may be a one-shot stream of 100,000. So the rows go once into the JSONL's temp file while
 * the headers are collected, and the CSV is then written from that temp file, line by line: memory
 * is one row and the set of headers, whatever the number of rows.
 */
export async function writeManifest(outDir: string, rows: Iterable<ManifestRow> | AsyncIterable<ManifestRow>): Promise<void> {
  const tempDir = join(outDir, STATE_DIR)
  const jsonl = await AtomicWriter.open(join(outDir, MANIFEST_JSONL), { tempDir })
  let csv: AtomicWriter | undefined
  try {
    const headers = new Set<string>()
    for await (const row of rows) {
      for (const h of Object.keys(row.meta.columns ?? {})) headers.add(h)
      await jsonl.write(`${JSON.stringify(manifestRecord(row))}\n`)
    }
    await jsonl.finish()
    csv = await AtomicWriter.open(join(outDir, MANIFEST_CSV), { tempDir })
    await writeCsv(csv, jsonl.temp, [...headers])
    await csv.finish()
    // The JSONL last: it is what `verify` reads, and a crash between the renames leaves it whole.
    await csv.commit()
    await jsonl.commit()
  } catch (e) {
    await jsonl.abandon()
    await csv?.abandon()
    throw e
  }
}

async function writeCsv(csv: AtomicWriter, jsonlTemp: string, headers: readonly string[]): Promise<void> {
  await csv.write(`${UTF8_BOM}${csvLine(manifestHeader(headers))}`)
  for await (const line of textLines(jsonlTemp)) {
    const row = parseManifestLine(line)
    // Lines we just wrote: one that does not read back is a bug, not data to skip quietly.
    if (!row) throw new Error(`manifest: a line written to ${jsonlTemp} does not read back`)
    await csv.write(csvLine(manifestCells(row, headers)))
  }
}

/**
 * `<recording>.json` beside a recording (`--sidecar`): the manifest's record of it, pretty-printed
 * for whoever opens it. Written to a temp name and renamed, so it is whole or absent; not synced,
 * one per file would cost a disk flush per recording, and the manifest (synced) and the journal
 * can always write it again.
 */
export async function writeSidecarJson(outDir: string, row: ManifestRow): Promise<void> {
  const target = join(outDir, sidecarPath(row.localPath))
  await mkdir(dirname(target), { recursive: true })
  const temp = `${target}.tmp`
  await writeFile(temp, `${JSON.stringify(manifestRecord(row), null, 2)}\n`)
  await rename(temp, target)
}
