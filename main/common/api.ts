/**
 * The contract between the renderer and the main process: every request/response method and every
 * pushed event, named `area:verb`. The preload exposes one function per method, the main side
 * registers one handler per method, and the renderer calls them, all typed from this one map.
 * Requests are validated with the schemas of api-inputs.ts on the main side: the renderer is not
 * trusted. The shapes the answers carry are in api-views.ts.
 */
import { z } from 'zod'
import { RECORDING_KINDS } from './api-version.ts'
import type { ConnectionOutcome } from './connection-outcomes.ts'
import { CONCURRENCY } from './export-options.ts'
import type { ExportOrigin } from './export-name.ts'
import type { ExportInfo, ExportStatus, ExportUpdate } from './progress.ts'
import { AbsPath, FolderPath, CallFilterSchema, ExportStartSchema, NameSourceSchema, ProfileInputSchema, ProfileName, SettingsSchema, type Settings } from './api-inputs.ts'
import type { AppInfo, ColumnPreview, FileRow, ImportPreview, ProfileSummary, RangeCount, SyncInfo, VerifySummary } from './api-views.ts'

export * from './api-inputs.ts'
export type * from './api-views.ts'

/** An export's status with its source, so the page can name it ("calls-march.csv", a date range). */
export type ExportEntry = ExportStatus & {
  readonly origin?: ExportOrigin
  /** Files accepted on their length alone (no CRC-64 or MD5 came), counted when the export is open. */
  readonly lengthOnly?: number
}
/** Progress as pushed, its export named the same way. */
export type ExportEvent = ExportUpdate & { readonly export: ExportInfo & { readonly origin?: ExportOrigin } }

// An export is its folder: an absolute path, as every path the page sends (a relative one would
// resolve against the app's own working folder).
const exportId = z.object({ id: FolderPath })
const empty = z.undefined()

/** Every method: its request schema; the response type is in `ApiResponses`. */
export const API_REQUESTS = {
  'app:info': empty,
  'settings:get': empty,
  'settings:set': SettingsSchema.partial(),
  'profiles:list': empty,
  'profiles:save': z.object({
    profile: ProfileInputSchema,
    secret: z.string().min(1).max(256).optional(),
    /** STS token: saved to the keychain when given, removed with null, kept when absent. */
    securityToken: z.string().min(1).max(4096).nullable().optional(),
  }),
  'profiles:remove': z.object({ name: ProfileName }),
  'profiles:setDefault': z.object({ name: ProfileName }),
  'profiles:test': z.object({ name: ProfileName }),
  'dialog:pickFolder': empty,
  'dialog:pickFile': empty,
  'import:preview': z.object({ source: NameSourceSchema }),
  'import:names': z.object({ token: z.string().min(1).max(128), template: z.string().min(1).max(1024), timeZone: z.string().min(1).max(64).optional() }),
  'import:count': z.object({
    token: z.string().min(1).max(128),
    profile: ProfileName,
    template: z.string().min(1).max(1024).optional(),
    timeZone: z.string().min(1).max(64).optional(),
    filter: CallFilterSchema.optional(),
    recording: z.enum(RECORDING_KINDS).optional(),
  }),
  'export:start': ExportStartSchema,
  'export:pause': exportId,
  'export:resume': exportId,
  'export:cancel': exportId,
  'export:setLimits': exportId.extend({
    concurrency: z.number().int().min(CONCURRENCY.min).max(CONCURRENCY.max).optional(),
    maxBytesPerSecond: z.number().int().positive().nullable().optional(),
  }),
  'export:files': exportId.extend({
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(1000),
    state: z.enum(['queued', 'resolving', 'downloading', 'paused', 'done', 'failed', 'skipped', 'restoring']).optional(),
    code: z.string().max(128).optional(),
    /** Part of the name, any case; and an order other than the export's own. */
    search: z.string().max(256).optional(),
    sort: z.enum(['name', 'size', 'state']).optional(),
    descending: z.boolean().optional(),
    /** With each row's call columns (agent, numbers, start, contact ID), read for this page only. */
    call: z.boolean().optional(),
  }),
  'export:retryGroup': exportId.extend({ code: z.string().min(1).max(128) }),
  'export:saveGroup': exportId.extend({ code: z.string().min(1).max(128) }),
  'export:retryFailed': exportId,
  'exports:history': empty,
  'exports:pauseAll': empty,
  'exports:resumeAll': empty,
  'exports:forget': exportId,
  'exports:verify': exportId,
  'shell:openPath': z.object({ path: AbsPath }),
  'shell:reveal': z.object({ path: AbsPath }),
  'sync:status': exportId,
  /** Writes the folder's sync settings from its export (when it has none) and installs the OS job, daily at `at` local time. */
  'sync:install': exportId.extend({ at: z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'a time of day such as 02:00') }),
  /** Removes the OS job; sync.json stays, so turning it on again goes on from the mark. */
  'sync:remove': exportId,
} as const

export interface ApiResponses {
  'app:info': AppInfo
  'settings:get': Settings
  'settings:set': Settings
  'profiles:list': ProfileSummary[]
  'profiles:save': ProfileSummary
  'profiles:remove': void
  'profiles:setDefault': void
  'profiles:test': ConnectionOutcome
  'dialog:pickFolder': string | null
  'dialog:pickFile': string | null
  'import:preview': ImportPreview
  /** The first local paths a template gives the previewed list (none for a listed source: named as listed). */
  'import:names': string[]
  'import:count': RangeCount
  /** `namingKept`: the folder's export names its files otherwise than asked, and keeps its naming (its template, else its layout). */
  'export:start': ExportEntry & { readonly namingKept?: string }
  'export:pause': void
  'export:resume': void
  'export:cancel': void
  'export:setLimits': void
  'export:files': { total: number; rows: FileRow[] }
  'export:retryGroup': number
  /** Every failed file back to the queue and the export running again; how many. */
  'export:retryFailed': number
  /** The path of the written CSV, or null when the user cancelled the save dialog. */
  'export:saveGroup': string | null
  'exports:history': ExportEntry[]
  /** How many running exports were told to pause. */
  'exports:pauseAll': number
  /** How many paused exports of this session were resumed. */
  'exports:resumeAll': number
  /** Drops a finished or stopped export from History; its folder and files stay. */
  'exports:forget': void
  'exports:verify': VerifySummary
  'shell:openPath': void
  'shell:reveal': void
  'sync:status': SyncInfo
  'sync:install': SyncInfo
  'sync:remove': SyncInfo
}

export type Method = keyof typeof API_REQUESTS
export type ApiRequest<M extends Method> = z.input<(typeof API_REQUESTS)[M]>
export type ApiResponse<M extends Method> = ApiResponses[M]
export const METHODS = Object.keys(API_REQUESTS) as Method[]

/** Pushed from main to the renderer. */
export interface ApiEvents {
  'export:progress': ExportEvent
}
export type EventName = keyof ApiEvents
export const EVENTS: readonly EventName[] = ['export:progress']

/**
 * A failure's facts beside its code (CccError's `details`): strings, numbers and flags only, so
 * the page can word a refusal in its own language instead of showing the engine's English.
 */
export type ErrorDetails = Readonly<Record<string, string | number | boolean>>

/** How a reply crosses IPC: errors as data, never a thrown object with a stack. */
export type Envelope<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string; readonly details?: ErrorDetails } }

/** The `details` of a Timetable.Invalid refusal: which entry of Settings' bandwidth timetable is wrong, and why. */
export type TimetableProblem = {
  readonly reason: 'empty' | 'entry' | 'day' | 'time' | 'rate' | 'twice'
  /** The entry as written; '' when the timetable is empty. */
  readonly entry: string
  /** Its place in the timetable, from 1; 0 when the timetable is empty. */
  readonly position: number
  /** The part of the entry at fault as written: the day, the time or the rate (the whole entry when it has no shape). */
  readonly part: string
}

/** What the preload exposes as `window.ccc`, and what the renderer is written against. */
export type CccApi = {
  readonly [M in Method]: (request: ApiRequest<M>) => Promise<ApiResponse<M>>
} & {
  readonly on: <E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) => () => void
}
