import { canonicalContactType } from '../common/contact-type.ts'
import { API_V1, API_V2, DEFAULT_RECORDING_KIND } from '../common/api-version.ts'
import { DEFAULT_OPTIONS } from '../common/export-options.ts'
import type { CallFilter } from '../engine/calls/filters.ts'
import type { ExportHeaderEvent } from '../engine/export/journal-events.ts'
import { journalExists, readExportHeader } from '../engine/export/journal.ts'
import { describeNaming, sameNaming } from '../engine/export/open-export.ts'
import { describeSource } from '../engine/import/sources.ts'
import { adoptExport } from '../engine/sync/adopt.ts'
import type { SyncSettings } from '../engine/sync/sync-settings.ts'
import { type Connection, profileStore } from './connect.ts'
import { UsageError } from './exit-codes.ts'
import type { CliIo } from './io.ts'
import type { Checked, Values } from './sync-command.ts'

/**
 * `sync` on a folder a `download --from/--to` made: that export's settings become the sync's.
 * What this run's flags add that can be kept is kept; what contradicts the download is refused.
 */

/** The header of a date-range export already in the folder; undefined for an empty folder. */
export async function adoptableHeader(dir: string): Promise<ExportHeaderEvent | undefined> {
  const header = (await journalExists(dir)) ? await readExportHeader(dir) : undefined
  if (header && header.source.kind !== 'range') throw new UsageError(`${dir} holds an export of ${header.source.kind}; sync keeps a date range up to date: choose another folder`)
  return header
}

/**
 * The settings of the download in the folder, the sync's from now on. A flag that says the same
 * is fine; one that says otherwise cannot apply (the export lists one range, with one connection,
 * naming its files one way) and is refused rather than dropped without a word.
 */
export function adoptedSettings(values: Values, checked: Checked, header: ExportHeaderEvent, dir: string): SyncSettings {
  const adopted = adoptExport(header, { ...checked.window, ...(checked.retentionDays === undefined ? {} : { retentionDays: checked.retentionDays }) })!
  const conflicts = adoptionConflicts(values, checked, header, adopted)
  if (conflicts.length > 0) {
    throw new UsageError(`${dir} holds a download of ${describeSource(header.source)}, which sync keeps up to date as it is; this does not go with it: ${conflicts.join('; ')}. Leave it out, or sync into another folder`)
  }
  return adopted
}

function adoptionConflicts(values: Values, checked: Checked, header: ExportHeaderEvent, adopted: SyncSettings): string[] {
  const conflicts: string[] = []
  const text = (v: string | undefined) => v?.trim() || undefined
  // As a filter matches (filters.ts): case and surrounding blanks aside.
  const loose = (v: string | undefined) => text(v)?.toLowerCase()
  const differ = (flag: keyof Values, given: unknown, has: unknown, shown: unknown = has) => {
    if (values[flag] !== undefined && given !== has) conflicts.push(`--${flag} ${String(values[flag])} (the download's: ${String(shown ?? 'none')})`)
  }
  if (checked.since !== undefined && checked.since !== Date.parse(adopted.since)) conflicts.push(`--since ${values.since} (the download's start: ${adopted.since})`)
  differ('instance', values.instance, header.instanceId)
  differ('region', values.region, header.region)
  differ('endpoint', values.endpoint, header.endpoint)
  const api = adopted.filters.api ?? API_V1
  differ('api-version', values['api-version'], api)
  differ('recording', values.recording, adopted.filters.recording ?? (api === API_V2 ? DEFAULT_RECORDING_KIND : undefined))
  differ('phone', text(values.phone), adopted.filters.phone)
  // Compared as CCC's spelling: a download of an older build may have kept `inbound`.
  const typeOf = (v: string | undefined) => (v === undefined ? undefined : (canonicalContactType(v) ?? v))
  differ('contact-type', typeOf(text(values['contact-type'])), typeOf(adopted.filters.contactType), adopted.filters.contactType)
  differ('disposition', text(values.disposition), adopted.filters.disposition)
  const asked: CallFilter = checked.calls.filter ?? {}
  const has: CallFilter = adopted.filters.filter ?? {}
  differ('agent', loose(asked.agent), loose(has.agent), has.agent)
  differ('skill-group', loose(asked.skillGroup), loose(has.skillGroup), has.skillGroup)
  differ('direction', loose(asked.direction), loose(has.direction), has.direction)
  differ('min-duration', asked.minDuration, has.minDuration)
  differ('max-duration', asked.maxDuration, has.maxDuration)
  // What was not given is the download's: a lone --time-zone is compared with its template.
  const given = checked.calls.options
  const naming = {
    ...DEFAULT_OPTIONS,
    ...header.options,
    ...(values['name-template'] === undefined ? {} : { nameTemplate: given.nameTemplate }),
    ...(values['time-zone'] === undefined ? {} : { timeZone: given.timeZone }),
  }
  if ((values['name-template'] !== undefined || values['time-zone'] !== undefined) && !sameNaming(naming, header.options)) {
    const flags = (['name-template', 'time-zone'] as const).filter((f) => values[f] !== undefined).map((f) => `--${f} ${values[f]}`)
    conflicts.push(`${flags.join(' ')}: ${describeNaming(naming)} (the download names its files by ${describeNaming(header.options)})`)
  }
  if (values.sidecar && !header.options.sidecar) conflicts.push('--sidecar (the download writes no sidecar files)')
  return conflicts
}

/** The adopted settings with what this run adds that can be kept: the profile, and the retention it states. */
export async function keepAdopted(adopted: SyncSettings, checked: Checked, c: Connection, io: CliIo): Promise<SyncSettings> {
  const profile = c.profile ?? adopted.connection.profile
  const retention = checked.retentionDays ?? (c.profile ? (await profileStore(io).get(c.profile))?.retentionDays : undefined)
  return {
    ...adopted,
    connection: { ...adopted.connection, ...(profile ? { profile } : {}) },
    ...(retention === undefined ? {} : { retentionDays: retention }),
  }
}
