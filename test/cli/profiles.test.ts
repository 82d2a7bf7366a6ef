import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startSim } from '../sim/index.ts'
import { keyringCli } from './keyring-cli.ts'
import { runCli } from './run-cli.ts'
import { filesUnder } from '../files-under.ts'

// Only against the private keyring that scripts/with-test-keyring.sh starts: never a developer's own.
const keyring = process.env.CCC_TEST_KEYRING === '1'

describe.skipIf(!keyring)('ccc-recordings profiles (real Secret Service; skipped without the test keyring)', () => {
  const at = keyringCli('profiles-cli-', { accessKeySecret: 'cli-profile-secret-9f8e7d6c5b4a' })

  it('adds, lists masked, tests, downloads with, and removes a profile without the secret leaking anywhere', async () => {
    const name = `cli-${process.pid}`
    const secret = at.sim.accessKeySecret
    const add = await runCli(
      ['profiles', 'add', name, '--region', 'cn-shanghai', '--instance', at.sim.instanceId, '--access-key-id', at.sim.accessKeyId, '--endpoint', at.sim.endpoint, '--secret-stdin'],
      at.env,
      `${secret}\n`,
    )
    expect(add.stderr).toBe('')
    expect(add.code).toBe(0)

    const list = await runCli(['profiles', 'list'], at.env)
    expect(list.stdout).toContain(`${at.sim.accessKeyId.slice(0, 4)}****${at.sim.accessKeyId.slice(-4)}`)
    expect(list.stdout).not.toContain(at.sim.accessKeyId)

    const test = await runCli(['profiles', 'test', name], at.env)
    expect(test.code).toBe(0)
    expect(test.stdout).toMatch(/Connection OK/)

    const listFile = join(at.work, 'names.txt')
    await writeFile(listFile, 'p-1.wav\np-2.wav\n')
    const out = join(at.work, 'out')
    const dl = await runCli(['download', listFile, '--out', out, '--profile', name], at.env)
    expect(dl.code, dl.stdout + dl.stderr).toBe(0)
    expect((await readFile(join(out, 'p-1.wav'))).equals(at.sim.content('p-1.wav'))).toBe(true)

    const outputs = [add, list, test, dl].map((r) => r.stdout + r.stderr).join('\n')
    expect(outputs).not.toContain(secret)
    for (const file of [...(await filesUnder(join(at.work, 'config'))), ...(await filesUnder(out))]) {
      expect((await readFile(file)).includes(secret), file).toBe(false)
    }

    const removed = await runCli(['profiles', 'remove', name], at.env)
    expect(removed.code).toBe(0)
    const after = await runCli(['download', listFile, '--out', join(at.work, 'out2'), '--profile', name], at.env)
    expect(after.code).toBe(2)
    expect(after.stderr).toMatch(/No profile is named/)
    await expect(stat(join(at.work, 'out2'))).rejects.toThrow()
  })

  it('keeps what is not given when a profile is added again (a new secret), and removes an option given empty', async () => {
    const name = `again-${process.pid}`
    const first = ['--region', 'cn-beijing', '--instance', at.sim.instanceId, '--access-key-id', at.sim.accessKeyId, '--endpoint', at.sim.endpoint]
    const more = ['--api-version', '2020-07-01', '--retention-days', '9', '--output-dir', join(at.work, 'rec')]
    expect((await runCli(['profiles', 'add', name, ...first, ...more, '--secret-stdin'], at.env, 'old-secret\n')).code).toBe(0)
    const listed = async () => (JSON.parse((await runCli(['profiles', 'list', '--json'], at.env)).stdout) as Record<string, unknown>[]).find((p) => p.name === name)
    const whole = await listed()
    // The text list says which profiles are CCC 2.0, as --json does.
    expect((await runCli(['profiles', 'list'], at.env)).stdout).toMatch(new RegExp(`^[* ] ${name}  cn-beijing  .*  CCC 2\\.0$`, 'm'))

    const rotated = await runCli(['profiles', 'add', name, '--secret-stdin'], at.env, `${at.sim.accessKeySecret}\n`)
    expect(rotated.code, rotated.stderr).toBe(0)
    expect(rotated.stdout).toContain(`Kept from before: region cn-beijing, endpoint ${at.sim.endpoint}, API version 2020-07-01, retention 9 days, output folder ${join(at.work, 'rec')}`)
    expect(await listed()).toEqual(whole)
    expect(rotated.stdout + rotated.stderr).not.toContain(at.sim.accessKeySecret)

    expect((await runCli(['profiles', 'add', name, '--endpoint', '', '--retention-days', '', '--secret-stdin'], at.env, `${at.sim.accessKeySecret}\n`)).code).toBe(0)
    const trimmed = await listed()
    expect(trimmed).not.toHaveProperty('endpoint')
    expect(trimmed).not.toHaveProperty('retentionDays')
    expect(trimmed).toMatchObject({ region: 'cn-beijing', apiVersion: '2020-07-01', instanceId: at.sim.instanceId })
    await runCli(['profiles', 'remove', name], at.env)
  })

  it('reports a wrong secret from `profiles test` with exit 4', async () => {
    const name = `wrong-${process.pid}`
    await runCli(['profiles', 'add', name, '--instance', at.sim.instanceId, '--access-key-id', at.sim.accessKeyId, '--endpoint', at.sim.endpoint, '--secret-stdin'], at.env, 'not-the-right-secret')
    const test = await runCli(['profiles', 'test', name], at.env)
    expect(test.code).toBe(4)
    expect(test.stdout).toMatch(/secret is wrong/)
    expect(test.stdout).not.toContain('not-the-right-secret')
  })

  it('`profiles test` tells a CCC 2.0 instance under a 1.0 profile, and passes once the profile says 2020-07-01', async () => {
    const v2 = await startSim({ apiVersion: '2020-07-01', instanceId: 'ccc-cli-v2', accessKeySecret: at.sim.accessKeySecret })
    try {
      const name = `v2-${process.pid}`
      const add = (extra: string[]) =>
        runCli(['profiles', 'add', name, '--instance', v2.instanceId, '--access-key-id', v2.accessKeyId, '--endpoint', v2.endpoint, '--secret-stdin', ...extra], at.env, `${v2.accessKeySecret}\n`)
      expect((await add([])).code).toBe(0)
      const wrong = await runCli(['profiles', 'test', name], at.env)
      expect(wrong.code).toBe(4)
      expect(wrong.stdout).toMatch(/seems to be a CCC 2\.0 instance/)
      expect(wrong.stdout).toMatch(/Detected API version 2020-07-01 \(CCC 2\.0\)/)
      expect((await add(['--api-version', '2020-07-01'])).code).toBe(0)
      const listed = JSON.parse((await runCli(['profiles', 'list', '--json'], at.env)).stdout) as { name: string; apiVersion?: string }[]
      expect(listed.find((p) => p.name === name)?.apiVersion).toBe('2020-07-01')
      const right = await runCli(['profiles', 'test', name], at.env)
      expect(right.code, right.stdout).toBe(0)
      expect(right.stdout).toMatch(/Connection OK/)
      expect(right.stdout).toContain('CCC 2.0: checked by listing calls; the permission to get recordings and their storage are first used by a download')
    } finally {
      await v2.close()
    }
  })

  it('keeps the retention the user states for the profile, and refuses one that is not a whole number of days', async () => {
    const add = (days: string) =>
      runCli(['profiles', 'add', 'kept', '--instance', at.sim.instanceId, '--access-key-id', at.sim.accessKeyId, '--endpoint', at.sim.endpoint, '--secret-stdin', '--retention-days', days], at.env, `${at.sim.accessKeySecret}\n`)
    expect((await add('90')).code).toBe(0)
    const listed = JSON.parse((await runCli(['profiles', 'list', '--json'], at.env)).stdout) as { name: string; retentionDays?: number }[]
    expect(listed.find((p) => p.name === 'kept')?.retentionDays).toBe(90)
    const words = await add('three months')
    expect(words.code).toBe(2)
    expect(words.stderr).toContain('--retention-days "three months" is not a whole number of days')
    const zero = await add('0')
    expect(zero.code).toBe(2)
    expect(zero.stderr).toMatch(/retentionDays.*at least 1 day/)
    expect((await runCli(['profiles', 'remove', 'kept'], at.env)).code).toBe(0)
  })

  it('never takes the secret from a flag, and needs a terminal or --secret-stdin', async () => {
    const r = await runCli(['profiles', 'add', 'x', '--instance', 'i', '--access-key-id', 'LTAIabcdefgh', '--secret', 'oops'], at.env)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/Unknown option '--secret'/)
    const noTty = await runCli(['profiles', 'add', 'x', '--instance', 'i', '--access-key-id', 'LTAIabcdefgh'], at.env)
    expect(noTty.code).toBe(2)
    expect(noTty.stderr).toMatch(/--secret-stdin/)
  })
})
