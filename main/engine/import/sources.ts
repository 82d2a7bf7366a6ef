import { canonicalContactType, CONTACT_TYPES } from '../../common/contact-type.ts'
import { CccError } from '../../common/errors.ts'
import type { SourceInfo } from '../export/journal-events.ts'
import { parseContactIdList } from './contact-ids.ts'
import type { ImportResult } from './csv.ts'

/**
 * The sources that are listed rather than read (architecture.md, "Sources of file names"): contact
 * IDs resolved with ListRecordingsByContactId, and a date range walked with ListCallDetailRecords.
 * What is checked here is what a user can get wrong; the walking itself is the export's
 * (engine/export/listing.ts), because it is journalled and resumed with the downloads.
 */

export { findContactColumn, importContactIds, KNOWN_CONTACT_HEADERS, parseContactIdList } from './contact-ids.ts'
export { describeSource, isListedSource, sameSource } from '../export/listing.ts'

export type ContactsSource = Extract<SourceInfo, { kind: 'contacts' }>
export type RangeSource = Extract<SourceInfo, { kind: 'range' }>

export interface RangeRequest {
  readonly from: string
  readonly to: string
  readonly phone?: string | undefined
  readonly contactType?: string | undefined
  readonly disposition?: string | undefined
}

/** The parts of a listing request a user can get wrong, each with its own catalog code `Source.<field>`. */
export const SOURCE_FIELDS = ['contacts', 'from', 'to', 'phone', 'contactType', 'disposition'] as const
export type SourceField = (typeof SOURCE_FIELDS)[number]

/** Which part of a range request is wrong: the CLI names the flag, the app the field. */
export class SourceError extends CccError {
  declare readonly code: `Source.${SourceField}`

  constructor(
    readonly field: SourceField,
    message: string,
  ) {
    super({ code: `Source.${field}`, message, details: { field } })
    this.name = 'SourceError'
  }
}

// A date, optionally a time (minutes, seconds and fractions optional), optionally a zone.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * An ISO 8601 time as epoch ms. Without a zone it is the computer's local time, as a user typing
 * "2024-03-01 09:00" means it (and a bare date is local midnight, not UTC midnight as
 * `Date.parse` would have it). Undefined when it is not such a time, or not a real one.
 */
export function parseIsoTime(text: string): number | undefined {
  const s = text.trim()
  if (!ISO.test(s)) return undefined
  const dateOnly = s.length === 10
  const normal = (dateOnly ? `${s}T00:00` : s.replace(' ', 'T')).replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
  const ms = Date.parse(normal)
  if (Number.isNaN(ms)) return undefined
  // Date.parse rolls 2024-02-30 over to March: compare the date it read with the one written.
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number]
  const probe = new Date(Date.UTC(y, m - 1, d))
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return undefined
  return ms
}

const FILTER_MAX = 64

/**
 * The journalled form of a date-range source: both ends as UTC ISO strings (so a resume in
 * another time zone walks the same windows), `from` inclusive, `to` exclusive.
 */
export function rangeSource(request: RangeRequest): RangeSource {
  const from = parseIsoTime(request.from)
  if (from === undefined) throw new SourceError('from', `"${request.from}" is not an ISO 8601 time (e.g. 2024-03-01T00:00:00+08:00)`)
  const to = parseIsoTime(request.to)
  if (to === undefined) throw new SourceError('to', `"${request.to}" is not an ISO 8601 time (e.g. 2024-04-01T00:00:00+08:00)`)
  if (to <= from) throw new SourceError('to', `the end (${new Date(to).toISOString()}) must be after the start (${new Date(from).toISOString()})`)
  const filter = (field: 'phone' | 'contactType' | 'disposition', value: string | undefined) => {
    const v = value?.trim()
    if (v === undefined || v === '') return {}
    if (v.length > FILTER_MAX || /[\u0000-\u001f\u007f]/.test(v)) throw new SourceError(field, `"${v.slice(0, FILTER_MAX)}" is not a usable ${field} filter`)
    if (field !== 'contactType') return { [field]: v }
    const type = canonicalContactType(v)
    if (!type) throw new SourceError(field, `"${v}" is not a call type CCC knows: ${CONTACT_TYPES.join(', ')} (any case)`)
    return { [field]: type }
  }
  return {
    kind: 'range',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    ...filter('phone', request.phone),
    ...filter('contactType', request.contactType),
    ...filter('disposition', request.disposition),
  }
}

export function contactsSource(file?: string): ContactsSource {
  return file === undefined ? { kind: 'contacts' } : { kind: 'contacts', file }
}

/** What the app's new-export screen sends for the listed sources (api.ts NameSource 'contacts' and 'range'). */
export type ListingRequest = { readonly kind: 'contacts'; readonly text: string } | ({ readonly kind: 'range' } & RangeRequest)

export interface ListingPlan {
  /** The header's source: `ExportRunner.open(outDir, deps, { …, source })`. */
  readonly source: ContactsSource | RangeSource
  /** For a contacts export: `runner.addContacts(contactIds)` before `run()`. */
  readonly contactIds: readonly string[]
  /** The parsed paste, for the preview's counts and invalid rows. */
  readonly imported?: ImportResult
}

/**
 * One call for an IPC handler: checks the request and says how to start the export. The listing
 * itself runs inside `runner.run()`, journalled and resumable like the downloads.
 */
export async function listingSource(request: ListingRequest, options: { signal?: AbortSignal } = {}): Promise<ListingPlan> {
  if (request.kind === 'range') return { source: rangeSource(request), contactIds: [] }
  const imported = await parseContactIdList(request.text, options.signal ? { signal: options.signal } : {})
  if (imported.names.length === 0) {
    throw new SourceError('contacts', imported.counts.invalid > 0 ? `no valid contact IDs (${imported.counts.invalid} invalid rows)` : 'no contact IDs found')
  }
  return { source: contactsSource(), contactIds: imported.names, imported }
}
