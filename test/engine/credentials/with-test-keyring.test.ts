import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { titled } from '../../requirement.ts'

const run = promisify(execFile)
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const script = path.join(repo, 'scripts/with-test-keyring.sh')
const hasTools = ['dbus-run-session', 'dbus-send', 'gnome-keyring-daemon', 'secret-tool'].every((tool) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => existsSync(path.join(dir, tool))),
)

/** A fresh start: not inside the session this very test run may be in, no display for prompts. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env }
  for (const k of ['CCC_TEST_KEYRING_SESSION', 'CCC_NO_TEST_KEYRING', 'DISPLAY', 'WAYLAND_DISPLAY']) delete e[k]
  return { ...e, ...extra }
}

async function runScript(command: string, extra?: Record<string, string>): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run('sh', [script, 'sh', '-c', command], { cwd: repo, env: env(extra) })
    return { code: 0, stdout }
  } catch (e) {
    const err = e as { code?: number; stdout?: string }
    return { code: err.code ?? -1, stdout: err.stdout ?? '' }
  }
}

const skip = process.platform !== 'linux' ? 'Linux only' : hasTools ? null : 'needs dbus-run-session, dbus-send, gnome-keyring-daemon and secret-tool (apt-get install gnome-keyring dbus libsecret-tools)'

describe.skipIf(skip !== null)(titled('scripts/with-test-keyring.sh (Linux with gnome-keyring)', skip), () => {
  it('runs the command against a private, unlocked Secret Service, then removes every trace', async () => {
    const pid =
      'dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus ' +
      'org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets'
    const { code, stdout } = await runScript(
      `echo "flag=$CCC_TEST_KEYRING data=$XDG_DATA_HOME"; printf s3 | secret-tool store --label=t k v && echo "got=$(secret-tool lookup k v)"; ${pid} | sed -n 's/.*uint32 /daemon=/p'; exit 7`,
    )
    expect(code).toBe(7)
    const field = (name: string) => new RegExp(`${name}=(\\S*)`).exec(stdout)?.[1]
    expect(field('flag')).toBe('1')
    expect(field('got')).toBe('s3')
    const data = field('data') ?? ''
    expect(data).toMatch(/ccc-test-keyring\.[^/]+\/data$/)
    expect(existsSync(path.dirname(data))).toBe(false)
    const daemon = field('daemon') ?? ''
    expect(daemon).toMatch(/^\d+$/)
    // Gone, or at most a zombie waiting for init: not a keyring daemon still serving.
    const status = `/proc/${daemon}/status`
    if (existsSync(status)) expect(readFileSync(status, 'utf8')).toMatch(/State:\s+Z/)
  })

  it('never vouches for a keyring it did not start', async () => {
    const { stdout } = await runScript('echo "flag=${CCC_TEST_KEYRING:-unset}"', { CCC_TEST_KEYRING: '1', CCC_NO_TEST_KEYRING: '1' })
    expect(stdout.trim()).toBe('flag=unset')
  })
})
