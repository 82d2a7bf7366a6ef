import { CccError } from '../../common/errors.ts'
import { registerSecret } from '../../common/redact.ts'
import type { Credentials } from '../ccc/sign.ts'
import type { Profile } from './profile-schema.ts'

/** The Alibaba Cloud CLI's and SDKs' variables (ccc-api.md §6). */
export const ENV_ACCESS_KEY_ID = 'ALIBABA_CLOUD_ACCESS_KEY_ID'
export const ENV_ACCESS_KEY_SECRET = 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'
export const ENV_SECURITY_TOKEN = 'ALIBABA_CLOUD_SECURITY_TOKEN'

/** What resolution needs of the profiles; ProfileStore is one. */
export interface ProfileSource {
  get(name: string): Promise<Profile | undefined>
  list(): Promise<readonly Profile[]>
  defaultName(): Promise<string | undefined>
  credentialsFor(name: string): Promise<Credentials>
}

export interface ResolvedCredentials {
  readonly credentials: Credentials
  readonly source: 'env' | 'profile'
  /** The profile used; its region, endpoint and instance ID are the command's defaults. */
  readonly profile?: Profile
  /** `--profile` was given but the environment variables won: worth a warning. */
  readonly ignoredProfile?: string
}

export type CredentialsErrorCode = 'Credentials.None' | 'Credentials.Incomplete'

/** The CLI's credentials cannot be had from the environment or a profile. */
export class CredentialsError extends CccError {
  declare readonly code: CredentialsErrorCode

  constructor(code: CredentialsErrorCode, message: string) {
    super({ code, message })
    this.name = 'CredentialsError'
  }
}

/** An empty variable counts as unset: `export X=` is how many people unset one. */
function envValue(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name]?.trim()
  return value ? value : undefined
}

/**
 * The CLI's order: the ALIBABA_CLOUD_* variables (with an STS token when set), then `--profile`,
 * then the default profile. Profile errors (no such profile, keychain locked) propagate as they are.
 */
export async function resolveCredentials(
  env: Readonly<Record<string, string | undefined>>,
  profileName: string | undefined,
  store: ProfileSource,
): Promise<ResolvedCredentials> {
  const id = envValue(env, ENV_ACCESS_KEY_ID)
  const secret = envValue(env, ENV_ACCESS_KEY_SECRET)
  const token = envValue(env, ENV_SECURITY_TOKEN)
  if (id && secret) {
    registerSecret(secret)
    registerSecret(token)
    const credentials: Credentials = { accessKeyId: id, accessKeySecret: secret, ...(token ? { securityToken: token } : {}) }
    return { credentials, source: 'env', ...(profileName === undefined ? {} : { ignoredProfile: profileName }) }
  }
  if (id || secret || token) {
    const missing = [id ? undefined : ENV_ACCESS_KEY_ID, secret ? undefined : ENV_ACCESS_KEY_SECRET].filter(Boolean).join(' and ')
    const present = [id && ENV_ACCESS_KEY_ID, secret && ENV_ACCESS_KEY_SECRET, token && ENV_SECURITY_TOKEN].filter(Boolean).join(', ')
    throw new CredentialsError(
      'Credentials.Incomplete',
      `${present} ${present.includes(',') ? 'are' : 'is'} set but ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not: set ${missing.includes(' and ') ? 'both' : 'it'}, or unset ${present} to use a profile`,
    )
  }

  const name = profileName ?? (await store.defaultName())
  if (name === undefined) {
    const saved = (await store.list()).map((p) => p.name)
    // Profiles but none the default (the default one was removed, several are left): say which.
    const choose = saved.length > 0 ? `, pass --profile <name> (${saved.join(', ')}) or make one the default with \`ccc-recordings profiles default <name>\`` : `, pass --profile <name>, or add a profile with \`ccc-recordings profiles add\``
    throw new CredentialsError('Credentials.None', `No credentials: set ${ENV_ACCESS_KEY_ID} and ${ENV_ACCESS_KEY_SECRET}${choose}`)
  }
  // credentialsFor reports a missing profile with the list of existing ones.
  const credentials = await store.credentialsFor(name)
  registerSecret(credentials.accessKeySecret)
  registerSecret(credentials.securityToken)
  const profile = await store.get(name)
  return { credentials, source: 'profile', ...(profile ? { profile } : {}) }
}
