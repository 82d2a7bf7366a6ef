import type { ApiRequest } from '../../common/api.ts'
import { isCccError } from '../../common/errors.ts'
import type { ExportOptions } from '../../common/export-options.ts'
import type { RecordingMeta } from '../../engine/calls/call.ts'
import { columnKeys, fieldColumns, metaFromRow } from '../../engine/calls/csv-meta.ts'
import { plannedPaths } from '../../engine/calls/export-outputs.ts'
import { type CallFilter, checkFilter, isEmptyFilter, keepFiltered, type LeftOut } from '../../engine/calls/filters.ts'
import { checkColumns, type NameTemplate, parseTemplate, PRESETS } from '../../engine/calls/name-template.ts'
import { DEFAULT_OPTIONS } from '../../common/export-options.ts'
import type { SourceInfo } from '../../engine/export/journal-events.ts'
import type { ImportResult } from '../../engine/import/csv.ts'
import { HandlerError } from './context.ts'
import type { PendingImport } from './imports.ts'

/** How many rendered names the new-export screen previews. */
export const NAMES_PREVIEWED = 8

/** A list's own columns as each name's call metadata (as the CLI's call-list.ts reads them). */
export function metasOf(result: ImportResult): Pick<PendingImport, 'metas' | 'headers'> {
  const header = result.header?.cells
  if (!header || !result.rows) return {}
  const at = fieldColumns(header)
  const keys = columnKeys(header)
  return { headers: keys, metas: result.rows.map((row) => metaFromRow(header, row.cells, at, keys).meta) }
}

/** A preset's key or a template's text, parsed; the engine's refusal keeps its catalog code. */
export function templateOf(text: string, timeZone: string | undefined, headers: readonly string[] | undefined): NameTemplate {
  const source = text in PRESETS ? PRESETS[text as keyof typeof PRESETS] : text
  try {
    const template = parseTemplate(source, timeZone)
    if (template.columns.length > 0) checkColumns(template, headers ?? [])
    return template
  } catch (e) {
    if (isCccError(e)) throw new HandlerError('Template.Invalid', e.message)
    throw e
  }
}

/** The first local paths a template gives a previewed list of names. */
export function sampleNames(list: PendingImport, req: ApiRequest<'import:names'>): string[] {
  const template = templateOf(req.template, req.timeZone, list.headers)
  const names = list.names.slice(0, NAMES_PREVIEWED)
  const options: ExportOptions = { ...DEFAULT_OPTIONS, nameTemplate: template.source, timeZone: template.timeZone }
  return (plannedPaths(options, names, undefined, list.metas?.slice(0, NAMES_PREVIEWED)) ?? []).map((p, i) => p ?? names[i]!)
}

export interface CallPlan {
  readonly options: Partial<ExportOptions>
  readonly source: SourceInfo
  readonly names: readonly string[]
  readonly metas?: readonly (RecordingMeta | undefined)[]
  readonly leftOut?: readonly LeftOut[]
}

/**
 * The export's naming and filters as the CLI passes them: the template into the options, the
 * filter into a listed source (the engine applies it to the listed calls) or applied here to a
 * list's rows, whose metadata goes into the plan.
 */
export function callPlan(list: PendingImport, req: ApiRequest<'export:start'>): CallPlan {
  const template = req.nameTemplate === undefined && req.timeZone === undefined ? undefined : templateOf(req.nameTemplate ?? 'flat', req.timeZone, list.headers)
  const options: Partial<ExportOptions> = {
    ...(template ? { nameTemplate: template.source, timeZone: template.timeZone } : {}),
    ...(req.sidecar ? { sidecar: true } : {}),
  }
  const filter = filterOf(req.filter)
  if (list.names.length === 0) return { options, source: filter ? { ...list.source, filter } as SourceInfo : list.source, names: [] }
  const metas = list.metas ?? list.names.map(() => ({}))
  if (!filter) return { options, source: list.source, names: list.names, metas }
  const kept = keepFiltered(list.names, list.names.map((_, i) => metas[i] ?? {}), filter)
  return { options, source: list.source, names: kept.names, metas: kept.metas, leftOut: kept.leftOut }
}

/** The page's filter checked, as the engine takes it; undefined when no field is set. */
export function filterOf(input: CallFilter | undefined): CallFilter | undefined {
  if (!input || isEmptyFilter(input)) return undefined
  try {
    return checkFilter(input)
  } catch (e) {
    if (isCccError(e)) throw new HandlerError('Filter.Invalid', e.message)
    throw e
  }
}
