import { lstat } from 'node:fs/promises'
import { join } from 'node:path'
import type { ExportOptions } from '../../common/export-options.ts'
import type { ExportTable } from '../export/export-table.ts'
import { writeReport } from '../export/report.ts'
import type { Logger } from '../log.ts'
import type { RecordingMeta } from './call.ts'
import { sidecarPath, writeManifest, writeSidecarJson } from './manifest.ts'
import { manifestRows } from './meta-store.ts'
import { type NameTemplate, parseTemplate, renderName } from './name-template.ts'

const templates = new Map<string, NameTemplate>()

/** The export's naming template, parsed once (it was checked before the export started). */
export function templateOf(options: ExportOptions): NameTemplate | undefined {
  if (!options.nameTemplate) return undefined
  const key = `${options.timeZone ?? ''}\u0000${options.nameTemplate}`
  let t = templates.get(key)
  if (!t) {
    t = parseTemplate(options.nameTemplate, options.timeZone)
    templates.set(key, t)
  }
  return t
}

/**
 * Where the template puts each new file, rendered now while its call's metadata is at hand
 * (it is journalled with the name, so a resume need not hold the metadata); undefined without a
 * template. A name the template cannot place (null) falls back to the layout, and its own job
 * explains an unusable name.
 */
export function plannedPaths(
  options: ExportOptions,
  names: readonly string[],
  startTimes: readonly (number | null)[] | undefined,
  metas: readonly (RecordingMeta | undefined)[] | undefined,
): (string | null)[] | undefined {
  const template = templateOf(options)
  if (!template) return undefined
  return names.map((fileName, i) => {
    const start = startTimes?.[i]
    const meta = metas?.[i] ?? {}
    try {
      return renderName(template, { fileName, meta: meta.start === undefined && typeof start === 'number' ? { ...meta, start } : meta })
    } catch {
      return null
    }
  })
}

/**
 * What an export leaves for people: report.csv always; manifest.csv and manifest.jsonl of the
 * verified recordings with their calls' metadata and SHA-256; `<recording>.json` beside each with
 * `sidecar`. Written when the export finishes or pauses; a failure is told, not thrown (the files
 * themselves are safe either way).
 */
export async function writeOutputs(outDir: string, table: ExportTable, log: Logger): Promise<void> {
  const tell = (what: string) => (e: unknown) => log.warn(`could not write ${what}: ${e instanceof Error ? e.message : String(e)}`)
  await writeReport(outDir, table).catch(tell('report.csv'))
  try {
    const rows = await manifestRows(outDir, table)
    await writeManifest(outDir, rows)
    // A verified file's call does not change: its sidecar is written once, not at every pause;
    // again when older than the recording (downloaded again since, or someone else's .json there).
    if (table.header?.options.sidecar) {
      for (const row of rows) if (await sidecarDue(join(outDir, row.localPath), join(outDir, sidecarPath(row.localPath)))) await writeSidecarJson(outDir, row)
    }
  } catch (e) {
    tell('manifest.csv')(e)
  }
}

async function sidecarDue(recording: string, sidecar: string): Promise<boolean> {
  const [rec, side] = await Promise.all([lstat(recording).catch(() => undefined), lstat(sidecar).catch(() => undefined)])
  return side === undefined || (rec !== undefined && side.mtimeMs < rec.mtimeMs)
}
