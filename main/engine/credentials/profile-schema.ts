import { API_VERSIONS } from '../../common/api-version.ts'
import path from 'node:path'
import { z } from 'zod'

/**
 * What a profile may hold, checked both when one is saved and when profiles.json is read back:
 * the file is shared by the app and the CLI and may be edited by hand.
 */

/** Regions CCC is offered in; any other `[a-z0-9-]+` is accepted too, for regions opened later. */
export const KNOWN_REGIONS = [
  'cn-shanghai',
  'cn-hangzhou',
  'cn-beijing',
  'cn-shenzhen',
  'ap-southeast-1',
  'eu-central-1',
  'us-west-1',
] as const

const noControl = /^[^\p{Cc}]*$/u

export const profileName = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(noControl, 'must not contain control characters')
  .refine((s) => s.trim() === s, 'must not start or end with a space')

/** A region as a profile or `--region` names it. */
export const RegionSchema = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9-]+$/, "must be lower-case letters, digits and '-', like cn-shanghai")

/** An endpoint as a profile or `--endpoint` names it: never with a user or password, which would be journalled. */
export const EndpointSchema = z.string().refine((s) => {
  try {
    const url = new URL(s)
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password
  } catch {
    return false
  }
}, 'must be an http(s) URL without user or password, like https://ccc.cn-shanghai.aliyuncs.com/')

const instanceId = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[^\s\p{Cc}]+$/u, 'must not contain spaces or control characters')

const accessKeyId = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9]+$/, 'must contain only letters and digits')

const outputDir = z
  .string()
  .min(1, 'must not be empty')
  .regex(noControl, 'must not contain control characters')
  .refine((s) => path.isAbsolute(s), 'must be an absolute path')

export const profileSchema = z.object({
  name: profileName,
  region: RegionSchema,
  endpoint: EndpointSchema.optional(),
  instanceId,
  accessKeyId,
  outputDir: outputDir.optional(),
  /** The instance's API generation (issue 14); absent in profiles from before 2.0, which are 1.0. */
  apiVersion: z.enum(API_VERSIONS).optional(),
  /** How long CCC keeps this instance's recordings, as the user set it in CCC's console (issue 18): the app warns before a range nears it. */
  retentionDays: z.number().int().min(1, 'must be at least 1 day').max(3650, 'must be at most 3650 days').optional(),
  /**
   * STS credentials (issue 15 item 8): the security token sits in the keychain beside the secret
   * (profiles.ts tokenAccount); the file only says there is one.
   */
  hasSecurityToken: z.literal(true).optional(),
})

/** One profile: everything but the secret, which lives in the keychain only. */
export type Profile = z.infer<typeof profileSchema>

export const PROFILES_VERSION = 1

export const profilesFileSchema = z
  .object({
    version: z.literal(PROFILES_VERSION),
    defaultProfile: profileName.optional(),
    profiles: z.array(profileSchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>()
    file.profiles.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: ['profiles', i, 'name'], message: `"${p.name}" appears twice` })
      seen.add(p.name)
    })
    if (file.defaultProfile !== undefined && !seen.has(file.defaultProfile)) {
      ctx.addIssue({ code: 'custom', path: ['defaultProfile'], message: `no profile is named "${file.defaultProfile}"` })
    }
  })

export type ProfilesFile = z.infer<typeof profilesFileSchema>

/** `profiles[1].region`: the field as a user finds it in the file. */
export function fieldPath(issuePath: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const key of issuePath) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out
}

/** Zod's wording, shortened to what a user editing the file needs. */
export function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.message.includes('received undefined')
      ? `missing (expected ${issue.expected})`
      : issue.message.replace(/^Invalid input: /, '')
  }
  return issue.message.replace(/^Invalid input: /, '')
}
