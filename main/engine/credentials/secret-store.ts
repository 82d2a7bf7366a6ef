import { CccError } from '../../common/errors.ts'

/**
 * The port for AccessKey secrets. One secret per profile, kept by the operating system's keychain
 * (keyring-store.ts); the engine never stores a secret anywhere else, and there is no plaintext
 * fallback: when the keychain cannot be used, the caller gets a SecretStoreError saying what to do.
 */
export interface SecretStore {
  /** The secret saved for the profile, or null when there is none. */
  get(profile: string): Promise<string | null>
  /** Saves or replaces the profile's secret. */
  set(profile: string, secret: string): Promise<void>
  /** True when a secret was deleted, false when there was none. */
  delete(profile: string): Promise<boolean>
}

export type SecretStoreErrorCode = 'Keychain.Unavailable' | 'Keychain.NoKeyring' | 'Keychain.Locked' | 'Keychain.Denied'

const ENV_HINT =
  'or pass the key in the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables (command line only)'

const ADVICE: Record<SecretStoreErrorCode, string> = {
  'Keychain.Unavailable':
    'Cannot reach the system keychain. On Linux, run a Secret Service provider (gnome-keyring, KeePassXC) in your session, ' +
    ENV_HINT +
    '. The secret is never written to a file instead.',
  'Keychain.NoKeyring':
    'The system keychain has no default keyring to keep the secret in (it was deleted or reset, or never made). Create one in your ' +
    `keyring app (GNOME: Passwords and Keys, + then Password keyring, named "login"), make it the default, and save the profile again, ${ENV_HINT}.`,
  'Keychain.Locked': `The system keychain is locked. Unlock it (log in to the desktop, or open your keyring app) and try again, ${ENV_HINT}.`,
  'Keychain.Denied': `Access to the system keychain was refused. Allow CCC Recordings when the system asks, ${ENV_HINT}.`,
}

/**
 * The keychain could not be used. `message` is safe to show and log: it names the profile and the
 * platform's reason, never a secret. `detail` is the platform's own text, for diagnostics.
 */
export class SecretStoreError extends CccError {
  declare readonly code: SecretStoreErrorCode
  readonly profile: string
  readonly detail: string

  // No `cause`: the native error object is not ours to vouch for, its text is kept in `detail`.
  constructor(code: SecretStoreErrorCode, profile: string, detail: string) {
    super({ code, message: `Profile "${profile}": ${ADVICE[code]}${detail ? ` [${detail}]` : ''}`, details: { profile } })
    this.name = 'SecretStoreError'
    this.profile = profile
    this.detail = detail
  }
}

export function isSecretStoreError(e: unknown): e is SecretStoreError {
  return e instanceof SecretStoreError
}
