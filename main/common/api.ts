/**
 * The contract between the renderer and the main process: every request/response method and every
 * pushed event, named `area:verb`. The preload exposes one function per method, the main side
 * registers one handler per method, and the renderer calls them, all typed from this one map.
 * Requests are validated with the schemas below on the main side: the renderer is not trusted.
 */
import type { NameProblem } from './name-problems.ts'
import { z } from 'zod'
import { API_VERSIONS, type ApiVersion, RECORDING_KINDS } from './api-version.ts'
import type { ConnectionOutcome } from './connection-outcomes.ts'
import { CONCURRENCY, LAYOUTS } from './export-options.ts'
import type { ExportOrigin } from './export-name.ts'
import type { ExportInfo, ExportStatus, ExportUpdate } from './progress.ts'
import type { FileRow, SyncInfo, VerifySummary } from './api-views.ts'

export type { FileCall, FileRow, SyncInfo, SyncLastResult, VerifySummary } from './api-views.ts'

export const LanguageSchema = z.enum(['system', 'zh-CN', 'en'])
export const LayoutSchema = z.enum(LAYOUTS)

const name = z.string().trim().min(1).max(64)
const region = z.string().trim().regex(/^[a-z0-9-]{2,32}$/, 'a region such as cn-shanghai')
/**
 * A path the main side may use as it is: POSIX (/x) or Windows (C:\x, C:/x, \\server\share\x).
 * A relative one would be resolved against the main process's working folder, which no user chose;
 * so would a drive-relative one (C:x, \x). No node:path: the renderer shares this file.
 */
export function isAbsolutePath(path: string): boolean {
  if (path.includes('\0')) return false
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || /^\\\\[^\\/]+[\\/][^\\/]+/.test(path)
}
const absPath = z.string().min(1).max(4096).refine(isAbsolutePath, 'an absolute path')

export const ProfileInputSchema = z.object({
  name,
  region,
  instanceId: z.string().trim().min(1).max(128),
  /** Left out by an edit that keeps the saved one (the renderer only ever sees it masked). */
  accessKeyId: z.string().trim().regex(/^[A-Za-z0-9]{8,64}$/, 'letters and digits only').optional(),
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  outputDir: absPath.optional(),
  /** CCC's retention for this instance in days, as the user set it (issue 18). */
  retentionDays: z.number().int().min(1).max(3650).optional(),
  apiVersion: z.enum(API_VERSIONS).optional(),
})
export type ProfileInput = z.infer<typeof ProfileInputSchema>

/** What the renderer may know of a profile: never the secret, and the key ID masked. */
export interface ProfileSummary {
  readonly name: string
  readonly region: string
  readonly instanceId: string
  readonly accessKeyIdMasked: string
  readonly endpoint?: string
  readonly outputDir?: string
  readonly retentionDays?: number
  /** The instance's API generation, when the profile says (issue 14); absent means 1.0. */
  readonly apiVersion?: ApiVersion
  /** STS credentials: a security token is in the keychain beside the secret (never sent back). */
  readonly hasSecurityToken?: boolean
  readonly isDefault: boolean
}

/** The column picker's answer: which column holds the names (0-based), and whether row 1 is a header. */
const columnChoice = { column: z.number().int().min(0).max(1000).optional(), header: z.boolean().optional() }

/** Where names come from. Dropped files arrive as bytes: a sandboxed page has no paths. */
export const NameSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: absPath, ...columnChoice }),
  z.object({ kind: z.literal('bytes'), fileName: z.string().max(1024), data: z.instanceof(Uint8Array), ...columnChoice }),
  z.object({ kind: z.literal('text'), text: z.string().max(64 * 1024 * 1024) }),
  z.object({ kind: z.literal('contacts'), text: z.string().max(64 * 1024 * 1024) }),
  z.object({
    kind: z.literal('range'),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    phone: z.string().max(64).optional(),
    contactType: z.string().max(64).optional(),
    disposition: z.string().max(64).optional(),
  }),
])
export type NameSource = z.infer<typeof NameSourceSchema>

export interface InvalidRow {
  readonly row: number
  readonly value: string
  readonly problem: NameProblem
}

export interface ImportPreview {
  /** Refers to the parsed list kept on the main side, so a million names cross IPC once. */
  readonly token: string
  readonly sourceName: string
  readonly rows: number
  readonly names: number
  readonly duplicates: number
  readonly blank: number
  /** The first invalid rows (a preview, not the whole list); `invalidCount` says how many there are. */
  readonly invalid: readonly InvalidRow[]
  readonly invalidCount: number
  readonly encoding?: string
  readonly column?: string
  readonly sample: readonly string[]
  /** What the list is, for a title in the page's language (the file, the range, a paste). */
  readonly origin?: ExportOrigin
  /** A file's first rows and the column read, for the picker; `ask` when no known header named it. */
  readonly columns?: ColumnPreview
  /**
   * A names list whose every name is `<contactId>.wav` or `.mkv`: a CCC 2.0 profile can use it as
   * it is (issue 14 item 2); any other names list is a 1.0 notion.
   */
  readonly contactNames?: boolean
}

export interface ColumnPreview {
  readonly rows: readonly (readonly string[])[]
  readonly index: number
  readonly header: boolean
  readonly ask: boolean
}

/** Which calls an export keeps (the engine's CallFilter): checked again by the engine. */
export const CallFilterSchema = z.object({
  agent: z.string().trim().min(1).max(128).optional(),
  skillGroup: z.string().trim().min(1).max(128).optional(),
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
  minDuration: z.number().min(0).max(1e7).optional(),
  maxDuration: z.number().min(0).max(1e7).optional(),
})
export type CallFilterInput = z.infer<typeof CallFilterSchema>

/**
 * A date range's calls before Start: from TotalCount, null when not counted (a long range); the
 * bytes estimated from the calls sampled, as the filter leaves them; and the first recordings'
 * local names as the template renders them (issue 13 item 6), none when the range has none.
 */
export interface RangeCount {
  readonly calls: number | null
  readonly estimatedBytes: number | null
  readonly sample: readonly string[]
}

export const ExportStartSchema = z.object({
  token: z.string().min(1).max(128),
  profile: name,
  outDir: absPath,
  layout: LayoutSchema.default('flat'),
  concurrency: z.number().int().min(CONCURRENCY.min).max(CONCURRENCY.max).default(CONCURRENCY.default),
  maxBytesPerSecond: z.number().int().positive().nullable().default(null),
  /** A naming template or preset's text (name-template.ts), checked on the main side before anything starts. */
  nameTemplate: z.string().min(1).max(1024).optional(),
  timeZone: z.string().min(1).max(64).optional(),
  sidecar: z.boolean().optional(),
  filter: CallFilterSchema.optional(),
  /** A CCC 2.0 profile's recording kind (issue 14 item 3): mono unless chosen; a 1.0 export ignores it. */
  recording: z.enum(RECORDING_KINDS).optional(),
})

export const SettingsSchema = z.object({
  language: LanguageSchema,
  concurrency: z.number().int().min(CONCURRENCY.min).max(CONCURRENCY.max),
  maxBytesPerSecond: z.number().int().positive().nullable(),
  /** A bandwidth timetable in `--max-rate`'s syntax ("08:00,2MB/s 20:00,off"); while set, the live limit follows it, not maxBytesPerSecond. */
  rateTimetable: z.string().trim().min(1).max(1024).nullable().optional(),
  /** Where a new export goes when its profile names no folder of its own (issue 15 item 8). */
  outputDir: absPath.nullable().optional(),
})
export type Settings = z.infer<typeof SettingsSchema>

export interface AppInfo {
  readonly version: string
  readonly platform: string
  /** The OS language, for `language: 'system'`. */
  readonly systemLocale: string
}

/** An export's status with its source, so the page can name it ("calls-march.csv", a date range). */
export type ExportEntry = ExportStatus & {
  readonly origin?: ExportOrigin
  /** Files accepted on their length alone (no CRC-64 or MD5 came), counted when the export is open. */
  readonly lengthOnly?: number
}
/** Progress as pushed, its export named the same way. */
export type ExportEvent = ExportUpdate & { readonly export: ExportInfo & { readonly origin?: ExportOrigin } }

const exportId = z.object({ id: z.string().min(1).max(4096) })
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
  'profiles:remove': z.object({ name }),
  'profiles:setDefault': z.object({ name }),
  'profiles:test': z.object({ name }),
  'dialog:pickFolder': empty,
  'dialog:pickFile': empty,
  'import:preview': z.object({ source: NameSourceSchema }),
  'import:names': z.object({ token: z.string().min(1).max(128), template: z.string().min(1).max(1024), timeZone: z.string().min(1).max(64).optional() }),
  'import:count': z.object({
    token: z.string().min(1).max(128),
    profile: name,
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
  'shell:openPath': z.object({ path: absPath }),
  'shell:reveal': z.object({ path: absPath }),
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

/** How a reply crosses IPC: errors as data, never a thrown object with a stack. */
export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } }

/** What the preload exposes as `window.ccc`, and what the renderer is written against. */
export type CccApi = {
  readonly [M in Method]: (request: ApiRequest<M>) => Promise<ApiResponse<M>>
} & {
  readonly on: <E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) => () => void
}
