import type { CallDetailRecord } from '../ccc/list-call-details.ts'
import type { RecordingInfo } from '../ccc/list-recordings.ts'

/**
 * What an export knows of one recording and of the call it belongs to (issue 13): journalled
 * beside the file, so resume, status, the manifest and the naming template all have it. Every
 * source fills what it knows; a field it does not know is absent, never made up.
 */
export interface RecordingMeta {
  // The call.
  readonly contactId?: string
  /** Epoch ms. */
  readonly callStart?: number
  readonly callEnd?: number
  readonly caller?: string
  readonly callee?: string
  /** Inbound, Outbound or Internal (CCC's ContactType). */
  readonly direction?: string
  readonly disposition?: string
  readonly agents?: readonly Agent[]
  readonly skillGroups?: readonly string[]
  /** Seconds. */
  readonly callDuration?: number
  readonly satisfaction?: string
  // The recording.
  readonly agentId?: string
  readonly agentName?: string
  /** Epoch ms. */
  readonly start?: number
  /** Seconds. */
  readonly duration?: number
  /** A CSV source's own row, every column of it, by header. */
  readonly columns?: Readonly<Record<string, string>>
}

export interface Agent {
  readonly id?: string
  readonly name?: string
}

/** A call and the recordings it owns (a transferred call has one per agent leg). */
export interface Call {
  readonly meta: Omit<RecordingMeta, 'agentId' | 'agentName' | 'start' | 'duration' | 'columns'>
  readonly recordings: readonly { readonly fileName: string; readonly meta: RecordingMeta }[]
}

/** One recording to download, with everything known of it. */
export interface RecordingRecord {
  readonly fileName: string
  readonly meta: RecordingMeta
}

/** Drops absent values, so a journalled record carries only what was known. */
export function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v) && v.length === 0) continue
    out[k] = v
  }
  return out as T
}

const list = (s: string | undefined): string[] =>
  (s ?? '')
    .split(/[,，]/)
    .map((x) => x.trim())
    .filter(Boolean)

/** A recording as ListRecordingsByContactId (and a call record's Recordings) describe it. */
export function recordingMeta(r: RecordingInfo): RecordingMeta {
  return compact({
    contactId: r.contactId,
    caller: r.callingNumber,
    callee: r.calledNumber,
    direction: r.contactType,
    agentId: r.agentId,
    agentName: r.agentName,
    start: r.startTime ?? undefined,
    duration: r.duration ?? undefined,
  })
}

/** A call of ListCallDetailRecords (ccc-api.md §3, §8) and its recordings, each with the call's metadata. */
export function callFromDetail(record: CallDetailRecord): Call {
  const start = record.startTime ?? undefined
  const meta = compact({
    contactId: record.contactId || undefined,
    callStart: start,
    callEnd: start !== undefined && record.duration !== null ? start + record.duration * 1000 : undefined,
    caller: record.callingNumber,
    callee: record.calledNumber,
    direction: record.contactType,
    disposition: record.contactDisposition,
    agents: list(record.agentNames).map((name) => ({ name })),
    skillGroups: list(record.skillGroupNames),
    callDuration: record.duration ?? undefined,
    satisfaction: record.satisfaction,
  })
  return { meta, recordings: record.recordings.map((r) => ({ fileName: r.fileName, meta: { ...meta, ...recordingMeta(r) } })) }
}
