import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { testConnection } from '../../../main/engine/credentials/connection-test.ts'
import { KeyringStore } from '../../../main/engine/credentials/keyring-store.ts'
import { ProfileStore, validateSecret } from '../../../main/engine/credentials/profiles.ts'
import { resolveCredentials } from '../../../main/engine/credentials/resolve-credentials.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { describeKeychain, testService } from './keyring-env.ts'
import { filesUnder } from '../../files-under.ts'

/** Every form a secret could take in a file: raw, UTF-16 (Windows tools), base64, percent-encoded. */
function forms(secret: string): Buffer[] {
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(Buffer.from(secret).toString('base64').slice(0, 16)),
    Buffer.from(encodeURIComponent(secret)),
  ]
}

describeKeychain('secrets stay in the keychain (private gnome-keyring)', () => {
  let root: string
  let sim: Sim
  const secrets = new KeyringStore({ service: testService() })

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'ccc-leak-'))
    sim = await startSim()
  })
  afterAll(async () => {
    await sim.close()
    for (const name of ['work', 'home', 'sim']) await secrets.delete(name)
    await rm(root, { recursive: true, force: true })
  })

  it('appears in no file under the config or output folder and in no error message', async () => {
    const configDir = path.join(root, 'config')
    const outputDir = path.join(root, 'output')
    await mkdir(outputDir)
    await writeFile(path.join(outputDir, 'unrelated.txt'), 'output folder content')
    // Shaped like real AccessKey secrets: 30 letters and digits.
    const used = ['Wk7secretAAAA0123456789abcdefg', 'Hm7secretBBBB0123456789abcdefg', 'Wk8secretCCCC0123456789abcdefg']
    const [workFirst, home, workSecond] = used as [string, string, string]
    const errors: string[] = []
    const expectError = async (p: Promise<unknown> | (() => unknown)) => {
      try {
        await (typeof p === 'function' ? p() : p)
      } catch (e) {
        errors.push(e instanceof Error ? `${e.name}: ${e.message} ${String((e as { detail?: string }).detail ?? '')}` : String(e))
        return
      }
      throw new Error('expected an error')
    }

    const store = new ProfileStore(configDir, secrets)
    const base = { instanceId: sim.instanceId, accessKeyId: 'LTAI5tLeakTest01', outputDir, endpoint: sim.endpoint }
    await store.save({ ...base, name: 'work' }, workFirst)
    await store.save({ ...base, name: 'home' }, home)
    await store.save({ ...base, name: 'work', region: 'cn-beijing' })
    await store.save({ ...base, name: 'work' }, workSecond)
    await store.setDefault('home')
    await store.list()
    expect((await store.credentialsFor('work')).accessKeySecret).toBe(workSecond)
    expect((await resolveCredentials({}, undefined, store)).credentials.accessKeySecret).toBe(home)
    await store.remove('home')

    // Failures along the way, each handed the secret one way or another.
    const invalid = 'Bad7secretDDDD0123456789 abcde'
    used.push(invalid)
    await expectError(store.save({ ...base, name: 'work', accessKeyId: 'not-valid' }, workSecond))
    await expectError(() => validateSecret(invalid))
    await expectError(store.save({ ...base, name: 'new' }, invalid))
    await expectError(store.credentialsFor('home'))
    await expectError(resolveCredentials({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: workSecond }, 'work', store))

    // A wrong secret against the simulator: the client's error and the connection test's outcome.
    const wrong = new CccClient({ credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: workSecond }, endpoint: sim.endpoint })
    await expectError(wrong.downloadRecording(sim.instanceId, 'a.wav'))
    const outcome = await testConnection(wrong, sim.instanceId)
    expect(outcome.kind).toBe('secret-wrong')
    errors.push(JSON.stringify(outcome))

    // And a right one, saved as a profile and used for real.
    await store.save({ ...base, name: 'sim', accessKeyId: sim.accessKeyId }, sim.accessKeySecret)
    used.push(sim.accessKeySecret)
    const right = new CccClient({ credentials: await store.credentialsFor('sim'), endpoint: sim.endpoint })
    expect((await testConnection(right, sim.instanceId)).ok).toBe(true)

    expect(errors).toHaveLength(7)
    for (const message of errors) {
      for (const secret of used) expect(message).not.toContain(secret)
    }
    const files = [...(await filesUnder(configDir)), ...(await filesUnder(outputDir))]
    for (const file of files) {
      const bytes = await readFile(file)
      for (const secret of used) {
        for (const form of forms(secret)) expect(bytes.includes(form), `${secret} in ${file}`).toBe(false)
      }
    }
    // Only the files expected, and they hold what they should: the proof above is not vacuous.
    expect(files.map((f) => path.relative(root, f)).sort()).toEqual([path.join('config', 'profiles.json'), path.join('output', 'unrelated.txt')])
    expect(await readFile(path.join(configDir, 'profiles.json'), 'utf8')).toContain('LTAI5tLeakTest01')
  })
})
