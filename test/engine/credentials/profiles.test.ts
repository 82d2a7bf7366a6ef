import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { KeyringStore } from '../../../main/engine/credentials/keyring-store.ts'
import {
  isProfileError,
  type ProfileError,
  ProfileStore,
  validateProfile,
  validateSecret,
} from '../../../main/engine/credentials/profiles.ts'
import { describeKeychain, testService } from './keyring-env.ts'

const base = { name: 'work', instanceId: '9cfad875-6260-4a53-ab6e-b13e3fb31f7d', accessKeyId: 'LTAI5tTestKey0001' }

async function caught(p: Promise<unknown> | (() => unknown)): Promise<ProfileError> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (e) {
    if (isProfileError(e)) return e
    throw e
  }
  throw new Error('expected a ProfileError')
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccc-profiles-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

// Reading, validating and refusing never reach the keychain, so these run everywhere.
const noKeychain = new KeyringStore({ service: 'ccc-recordings-test-never-used' })

describe('profiles.json when damaged', () => {
  async function damaged(content: string): Promise<ProfileError> {
    await writeFile(path.join(dir, 'profiles.json'), content)
    return caught(new ProfileStore(dir, noKeychain).list())
  }

  it('reads an absent file as no profiles', async () => {
    const store = new ProfileStore(dir, noKeychain)
    expect(await store.list()).toEqual([])
    expect(await store.defaultName()).toBeUndefined()
  })

  it('names the file when it is not JSON', async () => {
    const e = await damaged('{"version":1,"profiles":[')
    expect(e.code).toBe('Profiles.Damaged')
    expect(e.message).toContain(path.join(dir, 'profiles.json'))
    expect(e.message).toContain('profiles.json: not valid JSON (ends too early at line 1, column 26)')
  })

  it('never quotes the broken file back (it may hold a pasted secret)', async () => {
    const e = await damaged('{\n  "version": 1,\n  "x": pasted-Secret-0123456789 }')
    expect(e.message).toMatch(/not valid JSON \(unexpected character( at line 3, column 8)?\)/)
    expect(e.message).not.toContain('pasted')
  })

  it('names the field of a wrong type', async () => {
    const good = { name: 'a', region: 'cn-shanghai', instanceId: 'i', accessKeyId: 'K1' }
    const e = await damaged(JSON.stringify({ version: 1, profiles: [good, { ...good, name: 'b', region: 7 }] }))
    expect(e.message).toContain('profiles.json: profiles[1].region: expected string, received number')
    expect(e.field).toBe('profiles[1].region')
  })

  it('names a missing field', async () => {
    const e = await damaged(JSON.stringify({ version: 1, profiles: [{ name: 'a', region: 'cn-shanghai', accessKeyId: 'K1' }] }))
    expect(e.message).toContain('profiles[0].instanceId: missing (expected string)')
  })

  it('rejects a broken rule, a duplicate name and a default naming no profile', async () => {
    const p = { name: 'a', region: 'cn-shanghai', instanceId: 'i', accessKeyId: 'K-1' }
    expect((await damaged(JSON.stringify({ version: 1, profiles: [p] }))).message).toContain(
      'profiles[0].accessKeyId: must contain only letters and digits',
    )
    const ok = { ...p, accessKeyId: 'K1' }
    expect((await damaged(JSON.stringify({ version: 1, profiles: [ok, ok] }))).message).toContain('profiles[1].name: "a" appears twice')
    expect((await damaged(JSON.stringify({ version: 1, defaultProfile: 'zz', profiles: [ok] }))).message).toContain(
      'defaultProfile: no profile is named "zz"',
    )
  })

  it('says a file from a newer version is one, rather than calling it damaged nonsense', async () => {
    const e = await damaged(JSON.stringify({ version: 2, profiles: [] }))
    expect(e.message).toMatch(/newer CCC Recordings \(format version 2\)/)
  })

  it('names the file when it cannot be read at all', async () => {
    await mkdir(path.join(dir, 'profiles.json'))
    const e = await caught(new ProfileStore(dir, noKeychain).list())
    expect(e.code).toBe('Profiles.Unreadable')
    expect(e.message).toBe(`Cannot read ${path.join(dir, 'profiles.json')}: EISDIR`)
  })

  it('leaves a damaged file exactly as it was, even when asked to save', async () => {
    const content = '{"version":1,"profiles":[{"name":"a"}]}'
    const file = path.join(dir, 'profiles.json')
    await writeFile(file, content)
    const store = new ProfileStore(dir, noKeychain)
    expect((await caught(store.save(base, 'some-secret-0123456789'))).code).toBe('Profiles.Damaged')
    expect((await caught(store.remove('a'))).code).toBe('Profiles.Damaged')
    expect((await caught(store.setDefault(undefined))).code).toBe('Profiles.Damaged')
    expect(await readFile(file, 'utf8')).toBe(content)
  })
})

describe('validateProfile and validateSecret', () => {
  it('fills in the default region and drops keys that are not profile fields', () => {
    const p = validateProfile({ ...base, secret: 'x' } as Parameters<typeof validateProfile>[0])
    expect(p).toEqual({ ...base, region: 'cn-shanghai' })
  })

  it('accepts the known regions and a future one', () => {
    expect(validateProfile({ ...base, region: 'ap-southeast-1' }).region).toBe('ap-southeast-1')
    expect(validateProfile({ ...base, region: 'me-central-1' }).region).toBe('me-central-1')
  })

  it.each([
    [{ name: '' }, 'name: must not be empty'],
    [{ name: 'a\u0007b' }, 'name: must not contain control characters'],
    [{ name: 'x'.repeat(65) }, 'name: must be at most 64 characters'],
    [{ name: ' work' }, 'name: must not start or end with a space'],
    [{ region: 'CN-Shanghai' }, 'region: must be lower-case'],
    [{ instanceId: '' }, 'instanceId: must not be empty'],
    [{ accessKeyId: 'LTAI 5t' }, 'accessKeyId: must contain only letters and digits'],
    [{ endpoint: 'ftp://ccc.example.com/' }, 'endpoint: must be an http(s) URL'],
    [{ endpoint: 'https://user:pw@ccc.example.com/' }, 'endpoint: must be an http(s) URL without user or password'],
    [{ outputDir: 'relative/folder' }, 'outputDir: must be an absolute path'],
  ])('rejects %o', async (change, message) => {
    const e = await caught(() => validateProfile({ ...base, ...change }))
    expect(e.code).toBe('Profiles.Invalid')
    expect(e.message).toContain(message)
  })

  it('trims a secret and never repeats a bad one in the error', async () => {
    expect(validateSecret('  abcDEF123456\n')).toBe('abcDEF123456')
    const e = await caught(() => validateSecret('abc DEF123456-unique'))
    expect(e.field).toBe('secret')
    expect(e.message).not.toContain('DEF123456-unique')
    expect((await caught(() => validateSecret(' \n'))).message).toBe('secret: must not be empty')
  })
})

describeKeychain('ProfileStore with the private gnome-keyring', () => {
  const secrets = new KeyringStore({ service: testService() })
  const created = new Set<string>()
  afterAll(async () => {
    for (const name of created) await secrets.delete(name)
  })
  const store = () => new ProfileStore(dir, secrets)
  const save = async (s: ProfileStore, input: Parameters<ProfileStore['save']>[0], secret?: string) => {
    created.add(input.name)
    return s.save(input, secret)
  }

  it('saves a profile: fields to profiles.json, the secret to the keychain only', async () => {
    const s = store()
    const saved = await save(s, { ...base, endpoint: 'http://127.0.0.1:9/', outputDir: path.join(dir, 'out') }, 'work-secret-0123456789')
    expect(saved.region).toBe('cn-shanghai')
    expect(await s.get('work')).toEqual(saved)
    expect(await s.defaultName()).toBe('work')
    expect(await secrets.get('work')).toBe('work-secret-0123456789')
    const text = await readFile(s.file, 'utf8')
    expect(JSON.parse(text)).toEqual({ version: 1, defaultProfile: 'work', profiles: [saved] })
    expect(text).not.toContain('work-secret')
    expect(await s.credentialsFor('work')).toEqual({ accessKeyId: base.accessKeyId, accessKeySecret: 'work-secret-0123456789' })
  })

  it('writes the file readable by the user only, in a folder it creates', async () => {
    const nested = path.join(dir, 'deeper', 'config')
    const s = new ProfileStore(nested, secrets)
    await save(s, base, 'work-secret-0123456789')
    if (process.platform !== 'win32') expect((await stat(s.file)).mode & 0o077).toBe(0)
    expect(await readdir(nested)).toEqual(['profiles.json'])
  })

  it('replaces a profile, keeping or replacing its secret', async () => {
    const s = store()
    await save(s, base, 'first-secret-0123456789')
    await save(s, { ...base, region: 'cn-hangzhou' })
    expect((await s.get('work'))?.region).toBe('cn-hangzhou')
    expect((await s.credentialsFor('work')).accessKeySecret).toBe('first-secret-0123456789')
    await save(s, base, 'second-secret-0123456789')
    expect((await s.credentialsFor('work')).accessKeySecret).toBe('second-secret-0123456789')
    expect(await s.list()).toHaveLength(1)
  })

  it('keeps a second profile with its own secret; the first stays the default until changed', async () => {
    const s = store()
    await save(s, base, 'work-secret-0123456789')
    await save(s, { ...base, name: 'home', accessKeyId: 'LTAI5tHomeKey0002' }, 'home-secret-0123456789')
    expect((await s.list()).map((p) => p.name)).toEqual(['work', 'home'])
    expect(await s.defaultName()).toBe('work')
    expect(await s.credentialsFor('home')).toEqual({ accessKeyId: 'LTAI5tHomeKey0002', accessKeySecret: 'home-secret-0123456789' })
    await s.setDefault('home')
    expect(await s.defaultName()).toBe('home')
    expect((await caught(s.setDefault('nope'))).code).toBe('Profiles.NotFound')
  })

  it('removes a profile with its keychain entry; the default removed, a lone profile left is the default', async () => {
    const s = store()
    await save(s, base, 'work-secret-0123456789')
    await save(s, { ...base, name: 'home' }, 'home-secret-0123456789')
    await save(s, { ...base, name: 'lab' }, 'lab-secret-0123456789')
    expect(await s.remove('work')).toBe(true)
    expect(await secrets.get('work')).toBeNull()
    // Two left: neither is chosen for the user.
    expect(await s.defaultName()).toBeUndefined()
    // One left, with no default: it is the default, as the first one added is.
    expect(await s.remove('lab')).toBe(true)
    expect(await s.defaultName()).toBe('home')
    await save(s, { ...base, name: 'lab' }, 'lab-secret-0123456789')
    expect(await s.remove('home')).toBe(true)
    // The default removed, one left: that one.
    expect(await s.defaultName()).toBe('lab')
    expect((await s.list()).map((p) => p.name)).toEqual(['lab'])
    expect(await secrets.get('lab')).toBe('lab-secret-0123456789')
    expect(await s.remove('work')).toBe(false)
  })

  it('refuses a new profile without a secret, and touches nothing', async () => {
    const s = store()
    const e = await caught(s.save(base))
    expect(e.code).toBe('Profiles.Invalid')
    expect(e.field).toBe('secret')
    expect(await readdir(dir)).toEqual([])
  })

  it('says so when the keychain entry of a profile has gone', async () => {
    const s = store()
    await save(s, base, 'work-secret-0123456789')
    await secrets.delete('work')
    const e = await caught(s.credentialsFor('work'))
    expect(e.code).toBe('Profiles.SecretMissing')
    expect(e.message).toContain('"work"')
    expect((await caught(s.credentialsFor('nope'))).message).toBe('No profile is named "nope" (profiles: "work")')
  })

  it('serialises saves in one process: none is lost', async () => {
    const s = store()
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => save(s, { ...base, name: `p${i}` }, `secret-number-${i}-0123456789`)),
    )
    expect((await s.list()).map((p) => p.name).sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5'])
  })

  it('never lets a reader see a half-written file', async () => {
    const s = store()
    await save(s, { ...base, outputDir: path.join(dir, 'a'.repeat(200)) }, 'work-secret-0123456789')
    let writing = true
    let reads = 0
    const reader = (async () => {
      const other = new ProfileStore(dir, secrets)
      while (writing) {
        expect(await other.list()).toHaveLength(1)
        reads++
      }
    })()
    for (let i = 0; i < 30; i++) await s.save({ ...base, outputDir: path.join(dir, String(i % 10).repeat(100 + i * 50)) })
    writing = false
    await reader
    expect(reads).toBeGreaterThan(0)
  })
})
