import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { runCli } from './run-cli.ts'

// No D-Bus session, so no Secret Service: the refusal names its code (what Troubleshooting lists
// and a search finds), and the secret goes nowhere else.
it('refuses to keep a secret without a keychain, naming Keychain.Unavailable, and writes no file with it', async () => {
  const work = await mkdtemp(join(tmpdir(), 'no-keychain-'))
  try {
    const config = join(work, 'config')
    const secret = 'NoKeychainSecret0123456789'
    const r = await runCli(
      ['profiles', 'add', 'nokc', '--region', 'cn-shanghai', '--instance', 'i-1', '--access-key-id', 'LTAITestOnlyNotAKey1', '--secret-stdin'],
      { CCC_RECORDINGS_CONFIG_DIR: config, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
      `${secret}\n`,
    )
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^ccc-recordings: Keychain\.Unavailable: Profile "nokc": Cannot reach the system keychain/)
    expect(r.stdout + r.stderr).not.toContain(secret)
    const profiles = await readFile(join(config, 'profiles.json'), 'utf8').catch(() => '')
    expect(profiles).not.toContain(secret)
    expect(profiles).not.toContain('nokc')
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}, 30_000)
