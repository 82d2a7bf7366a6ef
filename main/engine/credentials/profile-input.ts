import { CccError } from '../../common/errors.ts'
import { DEFAULT_REGION } from '../ccc/endpoint.ts'
import { fieldPath, issueText, type Profile, profileSchema } from './profile-schema.ts'

/** What a user hands in for a profile, checked before anything is saved; and the errors of profiles. */

/** A profile as the app or CLI hands it in: the region may be left to its default. */
export type ProfileInput = Omit<Profile, 'region' | 'hasSecurityToken'> & { readonly region?: string | undefined }

export type ProfileErrorCode =
  | 'Profiles.Damaged' // profiles.json cannot be parsed or fails validation: left as it is
  | 'Profiles.Unreadable' // the file system refused to read or write it
  | 'Profiles.Invalid' // a profile handed to save() breaks a rule
  | 'Profiles.NotFound'
  | 'Profiles.SecretMissing' // the profile exists, its keychain entry does not

/** A profile problem. Messages name the file and field; never a secret. */
export class ProfileError extends CccError {
  declare readonly code: ProfileErrorCode
  /** `profiles[1].region`, `accessKeyId`, `secret`…, when one field is to blame. */
  readonly field: string | undefined

  constructor(code: ProfileErrorCode, message: string, field?: string) {
    super({ code, message, ...(field === undefined ? {} : { details: { field } }) })
    this.name = 'ProfileError'
    this.field = field
  }
}

export function isProfileError(e: unknown): e is ProfileError {
  return e instanceof ProfileError
}

/** A profile's keys in one order, unset ones left out: profiles.json reads the same after every save. */
export function canonical(p: Profile): Profile {
  return {
    name: p.name,
    region: p.region,
    ...(p.endpoint === undefined ? {} : { endpoint: p.endpoint }),
    instanceId: p.instanceId,
    accessKeyId: p.accessKeyId,
    ...(p.outputDir === undefined ? {} : { outputDir: p.outputDir }),
    ...(p.retentionDays === undefined ? {} : { retentionDays: p.retentionDays }),
    // Kept: dropping it here lost the generation `profiles add --api-version` asked for.
    ...(p.apiVersion === undefined ? {} : { apiVersion: p.apiVersion }),
    ...(p.hasSecurityToken ? { hasSecurityToken: true as const } : {}),
  }
}

/** Checks a profile handed in by the app or the CLI; unknown keys (a stray `secret`) are dropped. */
export function validateProfile(input: ProfileInput & { readonly hasSecurityToken?: true }): Profile {
  const parsed = profileSchema.safeParse({ ...input, region: input.region ?? DEFAULT_REGION })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue ? fieldPath(issue.path) : undefined
    throw new ProfileError('Profiles.Invalid', `${field ? `${field}: ` : ''}${issue ? issueText(issue) : 'invalid profile'}`, field)
  }
  return canonical(parsed.data)
}

/**
 * A secret or an STS token as typed: surrounding whitespace (a pasted line, stdin's newline) is
 * dropped; anything else unusual is an error naming the field, whose message never repeats the value.
 */
export function validateCredential(value: string, field: 'secret' | 'securityToken', maxLength: number): string {
  const clean = value.trim()
  if (!clean) throw new ProfileError('Profiles.Invalid', `${field}: must not be empty`, field)
  if (clean.length > maxLength) throw new ProfileError('Profiles.Invalid', `${field}: must be at most ${maxLength} characters`, field)
  if (!/^[^\s\p{Cc}]+$/u.test(clean)) throw new ProfileError('Profiles.Invalid', `${field}: must not contain spaces or control characters`, field)
  return clean
}

export const validateSecret = (secret: string): string => validateCredential(secret, 'secret', 256)
/** STS tokens run to a kilobyte or two. */
export const validateToken = (token: string): string => validateCredential(token, 'securityToken', 4096)
