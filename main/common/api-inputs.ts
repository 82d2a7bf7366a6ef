/**
 * What the renderer may send: the schemas the main side checks every request against (the
 * renderer is not trusted), and the paths and names they are built from. api.ts puts them
 * together into the methods.
 */
import { z } from 'zod'
import { API_VERSIONS, RECORDING_KINDS } from './api-version.ts'
import { CONCURRENCY, LAYOUTS } from './export-options.ts'

export const LanguageSchema = z.enum(['system', 'zh-CN', 'en'])
export const LayoutSchema = z.enum(LAYOUTS)

/** A profile's name. */
export const ProfileName = z.string().trim().min(1).max(64)
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
export const AbsPath = z.string().min(1).max(4096).refine(isAbsolutePath, 'an absolute path')

/**
 * An export's folder: absolute, and one spelling of it, so `/x/out/` is the export running at
 * `/x/out` and not another program's (trailing separators go, a root's own stays).
 */
export const FolderPath = AbsPath.transform((p) => p.replace(/(?<=[^/\\:])[/\\]+$/, ''))

export const ProfileInputSchema = z.object({
  name: ProfileName,
  region,
  instanceId: z.string().trim().min(1).max(128),
  /** Left out by an edit that keeps the saved one (the renderer only ever sees it masked). */
  accessKeyId: z.string().trim().regex(/^[A-Za-z0-9]{8,64}$/, 'letters and digits only').optional(),
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  outputDir: AbsPath.optional(),
  /** CCC's retention for this instance in days, as the user set it (issue 18). */
  retentionDays: z.number().int().min(1).max(3650).optional(),
  apiVersion: z.enum(API_VERSIONS).optional(),
})
export type ProfileInput = z.infer<typeof ProfileInputSchema>

/** The column picker's answer: which column holds the names (0-based), and whether row 1 is a header. */
export const ColumnChoice = { column: z.number().int().min(0).max(1000).optional(), header: z.boolean().optional() }

/** Where names come from. Dropped files arrive as bytes: a sandboxed page has no paths. */
export const NameSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: AbsPath, ...ColumnChoice }),
  z.object({ kind: z.literal('bytes'), fileName: z.string().max(1024), data: z.instanceof(Uint8Array), ...ColumnChoice }),
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

/** Which calls an export keeps (the engine's CallFilter): checked again by the engine. */
export const CallFilterSchema = z.object({
  agent: z.string().trim().min(1).max(128).optional(),
  skillGroup: z.string().trim().min(1).max(128).optional(),
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
  minDuration: z.number().min(0).max(1e7).optional(),
  maxDuration: z.number().min(0).max(1e7).optional(),
})
export type CallFilterInput = z.infer<typeof CallFilterSchema>

export const ExportStartSchema = z.object({
  token: z.string().min(1).max(128),
  profile: ProfileName,
  outDir: FolderPath,
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
  outputDir: AbsPath.nullable().optional(),
})
export type Settings = z.infer<typeof SettingsSchema>
