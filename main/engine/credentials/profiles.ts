import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { registerSecret } from '../../common/redact.ts'
import type { Credentials } from '../ccc/sign.ts'
import { writeFileAtomic } from '../atomic-file.ts'
import { canonical, ProfileError, type ProfileInput, validateProfile, validateSecret, validateToken } from './profile-input.ts'
import { fieldPath, issueText, type Profile, PROFILES_VERSION, type ProfilesFile, profilesFileSchema } from './profile-schema.ts'
import type { SecretStore } from './secret-store.ts'

export { KNOWN_REGIONS, type Profile, type ProfilesFile } from './profile-schema.ts'
export { isProfileError, ProfileError, type ProfileErrorCode, type ProfileInput, validateProfile, validateSecret, validateToken } from './profile-input.ts'

export const PROFILES_FILE = 'profiles.json'

/**
 * What save() does with the STS security token: a string is saved (replacing any), null removes
 * it (the profile becomes a plain AccessKey again), undefined keeps what is there.
 */
export interface SaveOptions {
  readonly securityToken?: string | null
}

/**
 * The token's keychain account: the profile's name behind a leading space, which no profile name
 * has (profile-schema.ts refuses it), so it never meets another profile's secret.
 */
export function tokenAccount(profileName: string): string {
  return ` sts-token ${profileName}`
}

/**
 * Profiles: the non-secret part in `<dir>/profiles.json` (shared by the app and the CLI), the
 * AccessKey secret in the SecretStore under the profile's name. A damaged file is reported, never
 * reset: it may hold the only record of a user's instance IDs.
 */
export class ProfileStore {
  readonly file: string
  private readonly secrets: SecretStore
  // One writer at a time within this process; between processes, each write is atomic.
  private tail: Promise<unknown> = Promise.resolve()

  constructor(dir: string, secrets: SecretStore) {
    this.file = path.join(dir, PROFILES_FILE)
    this.secrets = secrets
  }

  /** The whole file: `{version, defaultProfile?, profiles}`; an absent file reads as empty. */
  async read(): Promise<ProfilesFile> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: PROFILES_VERSION, profiles: [] }
      throw this.fsError('read', e)
    }
    return this.parse(text)
  }

  async list(): Promise<Profile[]> {
    return (await this.read()).profiles
  }

  async get(name: string): Promise<Profile | undefined> {
    return (await this.read()).profiles.find((p) => p.name === name)
  }

  async defaultName(): Promise<string | undefined> {
    return (await this.read()).defaultProfile
  }

  /**
   * Adds or replaces a profile. The secret, when given, goes to the keychain (first, so a keychain
   * failure leaves everything as it was); a new profile needs one. The first profile saved
   * becomes the default. Returns the profile as stored.
   */
  save(input: ProfileInput, secret?: string, options: SaveOptions = {}): Promise<Profile> {
    return this.serial(async () => {
      const clean = secret === undefined ? undefined : validateSecret(secret)
      // An empty token is refused, not read as none: the profile would say it has one it has not.
      const token = options.securityToken == null ? options.securityToken : validateToken(options.securityToken)
      const file = await this.read()
      const index = file.profiles.findIndex((p) => p.name === input.name)
      const had = file.profiles[index]?.hasSecurityToken === true
      const profile = validateProfile({ ...input, ...((token === undefined ? had : token !== null) ? { hasSecurityToken: true } : {}) })
      if (index < 0 && clean === undefined) {
        throw new ProfileError('Profiles.Invalid', `Profile "${profile.name}" is new: its AccessKey secret is needed`, 'secret')
      }
      if (clean !== undefined) {
        registerSecret(clean)
        await this.secrets.set(profile.name, clean)
      }
      if (token) {
        registerSecret(token)
        await this.secrets.set(tokenAccount(profile.name), token)
      } else if (token === null && had) {
        await this.secrets.delete(tokenAccount(profile.name))
      }
      const profiles = [...file.profiles]
      if (index < 0) profiles.push(profile)
      else profiles[index] = profile
      // The first profile is the default: with one profile, `--profile` is never needed.
      const defaultProfile = file.defaultProfile ?? (file.profiles.length === 0 ? profile.name : undefined)
      try {
        await this.write({ version: file.version, profiles, ...(defaultProfile === undefined ? {} : { defaultProfile }) })
      } catch (e) {
        // A keychain entry nobody can see in the profile list would be a secret left behind.
        if (index < 0) await this.secrets.delete(profile.name).catch(() => {})
        if (index < 0 && token) await this.secrets.delete(tokenAccount(profile.name)).catch(() => {})
        throw e
      }
      return profile
    })
  }

  /**
   * Removes the profile and its keychain entry (the entry first: if the keychain is locked the
   * profile stays, and the user can unlock and try again). False when there was no such profile.
   */
  remove(name: string): Promise<boolean> {
    return this.serial(async () => {
      const file = await this.read()
      if (!file.profiles.some((p) => p.name === name)) {
        // Nothing to remove; an entry left behind by an interrupted save goes, if the keychain lets it.
        return this.secrets.delete(name).then(() => false, () => false)
      }
      await this.secrets.delete(name)
      await this.secrets.delete(tokenAccount(name))
      const profiles = file.profiles.filter((p) => p.name !== name)
      const next: ProfilesFile = { version: file.version, profiles }
      if (file.defaultProfile !== undefined && file.defaultProfile !== name) next.defaultProfile = file.defaultProfile
      // No default now (it was removed, or none was set) and one profile left: that one, as the first one added is.
      else if (profiles.length === 1) next.defaultProfile = profiles[0]!.name
      await this.write(next)
      return true
    })
  }

  /** Makes `name` the default profile, or clears the default with undefined. */
  setDefault(name: string | undefined): Promise<void> {
    return this.serial(async () => {
      const file = await this.read()
      if (name !== undefined && !file.profiles.some((p) => p.name === name)) throw notFound(name, file)
      const next: ProfilesFile = { version: file.version, profiles: file.profiles }
      if (name !== undefined) next.defaultProfile = name
      await this.write(next)
    })
  }

  /** The profile's AccessKey, the secret from the keychain (and registered for redaction). */
  async credentialsFor(name: string): Promise<Credentials> {
    const file = await this.read()
    const profile = file.profiles.find((p) => p.name === name)
    if (!profile) throw notFound(name, file)
    const secret = await this.secrets.get(name)
    if (secret === null) {
      throw new ProfileError(
        'Profiles.SecretMissing',
        `Profile "${name}" has no AccessKey secret in the system keychain (it may have been deleted there, or the keyring that held it removed or reset): save the profile again with its secret`,
      )
    }
    registerSecret(secret)
    if (!profile.hasSecurityToken) return { accessKeyId: profile.accessKeyId, accessKeySecret: secret }
    const securityToken = await this.secrets.get(tokenAccount(name))
    if (securityToken === null) {
      throw new ProfileError(
        'Profiles.SecretMissing',
        `Profile "${name}" uses an STS security token, and the system keychain has none for it (it may have been deleted there, or the keyring that held it removed or reset): save the profile again with its token`,
      )
    }
    registerSecret(securityToken)
    return { accessKeyId: profile.accessKeyId, accessKeySecret: secret, securityToken }
  }

  private parse(text: string): ProfilesFile {
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (e) {
      throw this.damaged(`not valid JSON (${jsonProblem(text, e)})`)
    }
    const version = (raw as { version?: unknown } | null)?.version
    if (typeof version === 'number' && version > PROFILES_VERSION) {
      throw this.damaged(`written by a newer CCC Recordings (format version ${version}): update this one`, 'version')
    }
    const parsed = profilesFileSchema.safeParse(raw)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = issue ? fieldPath(issue.path) : ''
      throw this.damaged(`${field ? `${field}: ` : ''}${issue ? issueText(issue) : 'invalid'}`, field || undefined)
    }
    return parsed.data
  }

  private async write(file: ProfilesFile): Promise<void> {
    const ordered: ProfilesFile = {
      version: PROFILES_VERSION,
      ...(file.defaultProfile === undefined ? {} : { defaultProfile: file.defaultProfile }),
      profiles: file.profiles.map(canonical),
    }
    try {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 })
      await writeFileAtomic(this.file, `${JSON.stringify(ordered, null, 2)}\n`)
    } catch (e) {
      throw this.fsError('write', e)
    }
  }

  private damaged(what: string, field?: string): ProfileError {
    return new ProfileError(
      'Profiles.Damaged',
      `${this.file}: ${what}. The file was left unchanged: correct it, or move it away to start afresh.`,
      field,
    )
  }

  private fsError(op: 'read' | 'write', e: unknown): ProfileError {
    const err = e as NodeJS.ErrnoException
    return new ProfileError('Profiles.Unreadable', `Cannot ${op} ${this.file}: ${err.code ?? err.message}`)
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn)
    this.tail = run.catch(() => {})
    return run
  }
}

/**
 * Where JSON.parse gave up, without the excerpt of the file V8 likes to quote: a hand-edited file
 * may hold a pasted secret, and this message goes to the screen and the logs.
 */
function jsonProblem(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : ''
  const at = /at position (\d+)/.exec(message)
  const position = at ? Number(at[1]) : /^Unexpected end/.test(message) ? text.length : undefined
  if (position === undefined) return 'unexpected character'
  const before = text.slice(0, position).split('\n')
  return `${/^Unexpected end/.test(message) ? 'ends too early' : 'unexpected character'} at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`
}

function notFound(name: string, file: ProfilesFile): ProfileError {
  const names = file.profiles.map((p) => `"${p.name}"`).join(', ')
  return new ProfileError('Profiles.NotFound', `No profile is named "${name}"${names ? ` (profiles: ${names})` : ' (there are no profiles yet)'}`)
}
