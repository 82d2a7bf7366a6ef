import { access, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { minutesUntil } from '../../main/electron/handlers/night-release.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { processRunner } from '../../main/engine/schedule/command-runner.ts'
import { ManualClock } from '../engine/export/manual-clock.ts'
import { recordingHost } from './host-recorder.ts'

describe('minutesUntil', () => {
  it('counts local wall-clock minutes to the next 02:00, across midnight', () => {
    expect(minutesUntil('02:00', new Date(2026, 3, 1, 1, 55).getTime())).toBe(5)
    expect(minutesUntil('02:00', new Date(2026, 3, 1, 2, 0).getTime())).toBe(0)
    expect(minutesUntil('02:00', new Date(2026, 3, 1, 2, 1).getTime())).toBe(1439)
    expect(minutesUntil('00:10', new Date(2026, 3, 1, 23, 58).getTime())).toBe(12)
  })
})

let work: string | undefined
let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  if (work) await rm(work, { recursive: true, force: true })
})

describe.skipIf(process.platform !== 'linux')('the app lets go of a scheduled folder before its night', () => {
  it("closes its idle hold on the folder five minutes before the job, not earlier", async () => {
    work = await mkdtemp(join(tmpdir(), 'night-release-'))
    const bin = join(work, 'bin')
    await mkdir(bin)
    await writeFile(join(bin, 'systemctl'), '#!/bin/sh\nexit 0\n')
    await chmod(join(bin, 'systemctl'), 0o755)
    await mkdir(join(work, 'config'))
    const dir = join(work, 'archive')
    await mkdir(join(dir, '.ccc-recordings'), { recursive: true })
    const header = { type: 'export', version: 1, id: dir, createdAt: '2026-04-01T00:00:00.000Z', instanceId: 'inst-1', region: 'cn-shanghai', profile: 'night', source: { kind: 'range', from: '2026-03-01T00:00:00.000+08:00', to: '2026-03-31T00:00:00.000+08:00' }, options: { concurrency: 6, layout: 'flat', maxBytesPerSecond: null } }
    await writeFile(join(dir, '.ccc-recordings', 'journal.jsonl'), `${JSON.stringify(header)}\n`)
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: work }
    const clock = new ManualClock()
    await clock.advance(new Date(2026, 3, 1, 12, 0).getTime())
    const handlers = createHandlers({
      host: recordingHost().host,
      secrets: new KeyringStore({ service: `ccc-recordings-test-${process.pid}` }),
      configDir: join(work, 'config'),
      fetch: globalThis.fetch,
      clock,
      emit: () => undefined,
      sync: { scheduler: { platform: 'linux', home: work, env, runner: processRunner(env), tempDir: work }, program: async () => [process.execPath, fileURLToPath(new URL('../../bin/ccc-recordings.js', import.meta.url))], logs: join(work, 'logs') },
    })
    close = async () => {
      await dispatch(handlers, 'profiles:remove', { name: 'night' })
      await handlers.close()
    }
    const profile = { name: 'night', region: 'cn-shanghai', instanceId: 'inst-1', accessKeyId: 'LTAIexample01' }
    expect((await dispatch(handlers, 'profiles:save', { profile, secret: 'night-release-secret-9z8y' })).ok).toBe(true)
    expect((await dispatch(handlers, 'sync:install', { id: dir, at: '02:00' })).ok).toBe(true)
    // Listed again in the Queue later that day: open here, with its lock.
    await handlers.exports.resume(dir)
    const lock = join(dir, '.ccc-recordings', 'lock')

    await clock.advance(new Date(2026, 3, 2, 1, 54).getTime() - clock.now())
    await vi.waitFor(() => expect(clock.waiting).toBeGreaterThan(0))
    expect(handlers.exports.get(dir)).toBeDefined()

    await clock.advance(60_000)
    await vi.waitFor(() => expect(handlers.exports.get(dir)).toBeUndefined())
    await expect(access(lock)).rejects.toThrow(/ENOENT/)
  })
})
