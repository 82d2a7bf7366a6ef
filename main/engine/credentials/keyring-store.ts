import type { AsyncEntry, EntryOptions } from '@napi-rs/keyring'
import { redact } from '../../common/redact.ts'
import { type SecretStore, SecretStoreError, type SecretStoreErrorCode } from './secret-store.ts'
import { causeChain } from '../error-causes.ts'

/** The keychain service the app and the CLI share, so a profile added in one works in the other. */
export const KEYCHAIN_SERVICE = 'ccc-recordings'

export interface KeyringStoreOptions {
  /** Another service name keeps tests' entries apart; the product always uses the default. */
  readonly service?: string
}

// Left to itself the Linux backend falls back to the kernel keyring when no Secret Service answers:
// a store that forgets everything at logout, silently. Pinned, it throws instead, and we say so.
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } }

type Keyring = typeof import('@napi-rs/keyring')
let keyring: Promise<Keyring> | undefined

/** Loaded on first use, so a missing native binary is a keychain error, not a crash at start-up. */
function loadKeyring(): Promise<Keyring> {
  keyring ??= import('@napi-rs/keyring')
  return keyring
}

/**
 * The SecretStore on the operating system's keychain through @napi-rs/keyring: the macOS Keychain,
 * the Windows Credential Manager, the Secret Service on Linux. Account = profile name. The async
 * entry keeps a keychain prompt (or a slow D-Bus) off the event loop.
 */
export class KeyringStore implements SecretStore {
  private readonly service: string

  constructor(options: KeyringStoreOptions = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE
  }

  get(profile: string): Promise<string | null> {
    return this.run(profile, (entry) => entry.getPassword())
  }

  set(profile: string, secret: string): Promise<void> {
    return this.run(profile, (entry) => entry.setPassword(secret), secret)
  }

  delete(profile: string): Promise<boolean> {
    return this.run(profile, (entry) => entry.deleteCredential())
  }

  private async run<T>(profile: string, op: (entry: AsyncEntry) => Promise<T>, secret?: string): Promise<T> {
    try {
      const { AsyncEntry } = await loadKeyring()
      // The constructor already connects to the Secret Service on Linux, so it throws too.
      return await op(new AsyncEntry(this.service, profile, ENTRY_OPTIONS))
    } catch (e) {
      const { code, detail } = classifyKeyringError(e)
      throw new SecretStoreError(code, profile, secret ? detail.split(secret).join('<redacted>') : detail)
    }
  }
}

/** Every message down the `cause` chain: the useful D-Bus text sits one or two levels down. */
function messages(e: unknown): string[] {
  const out: string[] = []
  for (const c of causeChain(e, 5)) {
    const text = c instanceof Error ? c.message : String(c)
    if (text && !out.some((m) => m.includes(text))) out.push(text)
    // What is no Error has no cause to follow.
    if (!(c instanceof Error)) break
  }
  return out
}

// Texts of keyring-rs / dbus-secret-service (Linux), Security.framework (macOS) and wincred.
const LOCKED = /\blocked\b|unlock|interaction is not allowed/i
// keyring-rs saves into the Secret Service's `default` alias; with no collection behind it, the
// lookup finds nothing (a login keyring deleted or reset, or a session that never made one).
const NO_KEYRING = /\bno result found\b/i
const DENIED = /dismissed|cancel+ed|denied|not permitted|authori[sz]ation|rejected|passphrase .*not correct/i

/** Maps a keychain failure to what the user can do about it. */
export function classifyKeyringError(e: unknown): { code: SecretStoreErrorCode; detail: string } {
  const all = messages(e)
  const text = all.join(' | ')
  const detail = redact((all[0] ?? 'unknown keychain error').split('\n')[0] ?? '').slice(0, 300)
  let code: SecretStoreErrorCode = 'Keychain.Unavailable'
  if (LOCKED.test(text)) code = 'Keychain.Locked'
  else if (DENIED.test(text)) code = 'Keychain.Denied'
  else if (NO_KEYRING.test(text)) code = 'Keychain.NoKeyring'
  return { code, detail }
}
