import type { ProfileInput, ProfileSummary } from '../../main/common/api.ts'
import type { ApiVersion } from '../../main/common/api-version.ts'
import type { ConnectionOutcome } from '../../main/common/connection-outcomes.ts'
import { port } from './port.ts'
import { toUiError, type UiError } from './ui-error.ts'

class ProfilesStore {
  list = $state.raw<readonly ProfileSummary[]>([])
  /** Per-profile results of "Test connection" from the settings list, keyed by name. */
  outcomes = $state.raw<Readonly<Record<string, ConnectionOutcome>>>({})
  busy = $state<string | null>(null)
  error = $state.raw<UiError | null>(null)
}

export const profiles = new ProfilesStore()

export function resetProfiles(): void {
  profiles.list = []
  profiles.outcomes = {}
  profiles.busy = null
  profiles.error = null
}

export function defaultProfile(): ProfileSummary | undefined {
  return profiles.list.find((p) => p.isDefault) ?? profiles.list[0]
}

export function findProfile(name: string): ProfileSummary | undefined {
  return profiles.list.find((p) => p.name === name)
}

export async function loadProfiles(): Promise<void> {
  profiles.list = await port()['profiles:list'](undefined)
}

/**
 * The secret (and an STS token) go to the keychain through this call and are never read back.
 * A token of null removes the saved one; undefined keeps it.
 */
export async function saveProfile(profile: ProfileInput, secret: string | undefined, securityToken?: string | null): Promise<ProfileSummary> {
  const saved = await port()['profiles:save']({
    profile,
    ...(secret === undefined ? {} : { secret }),
    ...(securityToken === undefined ? {} : { securityToken }),
  })
  await loadProfiles()
  return saved
}

export function testProfile(name: string): Promise<ConnectionOutcome> {
  return port()['profiles:test']({ name })
}

async function run(name: string, action: () => Promise<void>): Promise<void> {
  profiles.busy = name
  profiles.error = null
  try {
    await action()
  } catch (e) {
    profiles.error = toUiError(e)
  } finally {
    profiles.busy = null
  }
}

export function testListedProfile(name: string): Promise<void> {
  return run(name, async () => {
    const outcome = await testProfile(name)
    profiles.outcomes = { ...profiles.outcomes, [name]: outcome }
  })
}

/**
 * The generation a listed profile's connection test found (issue 14 item 1), saved to the
 * profile, which is then tested again. The key ID, secret and token stay as saved.
 */
export function useFoundApiVersion(name: string, apiVersion: ApiVersion): Promise<void> {
  return run(name, async () => {
    const p = findProfile(name)
    if (p === undefined) return
    const { accessKeyIdMasked: _masked, isDefault: _default, hasSecurityToken: _token, ...fields } = p
    await saveProfile({ ...fields, apiVersion }, undefined)
    const outcome = await testProfile(name)
    profiles.outcomes = { ...profiles.outcomes, [name]: outcome }
  })
}

export function removeProfile(name: string): Promise<void> {
  return run(name, async () => {
    await port()['profiles:remove']({ name })
    await loadProfiles()
  })
}

export function setDefaultProfile(name: string): Promise<void> {
  return run(name, async () => {
    await port()['profiles:setDefault']({ name })
    await loadProfiles()
  })
}

export function chooseFolder(): Promise<string | null> {
  return port()['dialog:pickFolder'](undefined)
}
