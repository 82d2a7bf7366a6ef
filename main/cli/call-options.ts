import { CccError, isCccError } from '../common/errors.ts'
import type { ExportOptions } from '../common/export-options.ts'
import { type CallFilter, checkFilter, isEmptyFilter } from '../engine/calls/filters.ts'
import { type NameTemplate, parseTemplate, PRESETS } from '../engine/calls/name-template.ts'
import { readSeconds } from '../engine/calls/csv-meta.ts'
import { UsageError } from './exit-codes.ts'

/** The flags of issue 13: how files are named, which calls are kept, what is written beside them. */
export const CALL_FLAGS = {
  'name-template': { type: 'string' },
  'time-zone': { type: 'string' },
  sidecar: { type: 'boolean' },
  agent: { type: 'string' },
  'skill-group': { type: 'string' },
  direction: { type: 'string' },
  'min-duration': { type: 'string' },
  'max-duration': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const

export const CALL_USAGE =
  '[--name-template <template|flat|by-date|by-date-agent|by-agent-date>] [--time-zone <IANA zone>] [--sidecar] [--agent <id or name>] [--skill-group <name>] [--direction inbound|outbound|internal] [--min-duration <s>] [--max-duration <s>] [--dry-run]'

type CallValues = { [K in keyof typeof CALL_FLAGS]?: (typeof CALL_FLAGS)[K]['type'] extends 'boolean' ? boolean : string }

export interface CallChoices {
  /** What goes into the export's options (journalled in its header). */
  readonly options: Pick<ExportOptions, 'nameTemplate' | 'timeZone' | 'sidecar'>
  readonly template: NameTemplate | undefined
  readonly filter: CallFilter | undefined
  readonly dryRun: boolean
}

const FILTER_FLAGS: Readonly<Record<string, string>> = {
  agent: '--agent',
  skillGroup: '--skill-group',
  direction: '--direction',
  minDuration: '--min-duration',
  maxDuration: '--max-duration',
}

/** The same error (its code decides the exit), its message led by the flag it is about. */
function withFlag(e: unknown, flag: string, replaceLabel = false): unknown {
  if (!isCccError(e)) return e
  const message = replaceLabel ? e.message.replace(/^[^:]+: /, '') : e.message
  return new CccError({ code: e.code, message: `${flag}: ${message}`, ...(e.details ? { details: e.details } : {}) })
}

/** Parses and checks the flags before anything starts: a bad template or filter is exit 2, naming it. */
export function callChoices(values: CallValues): CallChoices {
  const named = values['name-template']
  const source = named !== undefined && named in PRESETS ? PRESETS[named as keyof typeof PRESETS] : named
  let template: NameTemplate | undefined
  let filter: CallFilter | undefined
  // A bad template or filter is a Template.Invalid or Filter.Invalid: exit 2 by its code, and the
  // flag named, as every other bad flag is.
  if (source !== undefined || values['time-zone'] !== undefined) {
    const zone = values['time-zone']
    try {
      template = parseTemplate(source ?? PRESETS.flat, zone)
    } catch (e) {
      const flag = zone !== undefined && isCccError(e) && e.message.includes(`"${zone}"`) ? '--time-zone' : '--name-template'
      throw withFlag(e, flag)
    }
  }
  try {
    filter = filterOf(values)
  } catch (e) {
    const field = isCccError(e) ? e.details?.field : undefined
    // The app's words for the field ("minimum duration: …") give way to the flag.
    throw typeof field === 'string' && field in FILTER_FLAGS ? withFlag(e, FILTER_FLAGS[field]!, true) : e
  }
  return {
    options: {
      ...(template ? { nameTemplate: template.source, timeZone: template.timeZone } : {}),
      ...(values.sidecar ? { sidecar: true } : {}),
    },
    template,
    filter,
    dryRun: values['dry-run'] === true,
  }
}

function filterOf(values: CallValues): CallFilter | undefined {
  const seconds = (flag: 'min-duration' | 'max-duration'): number | undefined => {
    const v = values[flag]?.trim()
    if (v === undefined) return undefined
    const s = readSeconds(v)
    if (s === null || s === undefined) throw new UsageError(`--${flag} wants seconds (95) or m:ss (1:35), not "${v}"`)
    return s
  }
  const filter: CallFilter = {
    ...(values.agent ? { agent: values.agent } : {}),
    ...(values['skill-group'] ? { skillGroup: values['skill-group'] } : {}),
    ...(values.direction ? { direction: values.direction } : {}),
    ...(values['min-duration'] !== undefined ? { minDuration: seconds('min-duration')! } : {}),
    ...(values['max-duration'] !== undefined ? { maxDuration: seconds('max-duration')! } : {}),
  }
  return isEmptyFilter(filter) ? undefined : checkFilter(filter)
}
