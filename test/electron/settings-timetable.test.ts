import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { ManualClock } from '../engine/export/manual-clock.ts'
import { recordingHost } from './host-recorder.ts'

const MIN = 60_000
const MB = 1024 * 1024

/** The app's Settings: the bandwidth timetable drives the one budget every export shares, on the handlers' clock. */
describe('settings: bandwidth timetable and default folder', () => {
  let dir: string
  let clock: ManualClock
  let handlers: ReturnType<typeof createHandlers>

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'settings-timetable-'))
    await mkdir(join(dir, 'config'))
    clock = new ManualClock()
    await clock.advance(new Date(2026, 2, 1, 19, 59).getTime())
    handlers = createHandlers({
      host: recordingHost().host,
      secrets: new KeyringStore({ service: `ccc-recordings-test-${process.pid}` }),
      configDir: join(dir, 'config'),
      fetch: globalThis.fetch,
      clock,
      emit: () => undefined,
    })
  })
  afterEach(async () => {
    await handlers.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('sets the live limit from the clock, across 20:00 and midnight, and keeps the timetable and folder', async () => {
    const reply = await dispatch(handlers, 'settings:set', { maxBytesPerSecond: 5 * MB, rateTimetable: '08:00,2MB/s 20:00,off 00:30,1MB/s', outputDir: '/srv/archive' })
    expect(reply).toMatchObject({ ok: true })
    expect(handlers.bandwidth.limit).toBe(2 * MB)
    await clock.advance(MIN)
    expect(handlers.bandwidth.limit).toBeNull()
    for (let i = 0; i < 4 * 60 + 30; i++) await clock.advance(MIN)
    expect(handlers.bandwidth.limit).toBe(1 * MB)

    const saved = await dispatch(handlers, 'settings:get', undefined)
    expect(saved).toMatchObject({ ok: true, value: { rateTimetable: '08:00,2MB/s 20:00,off 00:30,1MB/s', outputDir: '/srv/archive' } })
    // Cleared: the fixed rate again.
    await dispatch(handlers, 'settings:set', { rateTimetable: null })
    expect(handlers.bandwidth.limit).toBe(5 * MB)
  })

  it('refuses a timetable the engine cannot parse, naming the field, the entry and why, and keeps what was saved', async () => {
    await dispatch(handlers, 'settings:set', { rateTimetable: '20:00,off' })
    const reply = await dispatch(handlers, 'settings:set', { rateTimetable: '08:00,1M 25:00,1M' })
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'Timetable.Invalid',
        message: expect.stringMatching(/^rateTimetable: .*not a time of day/),
        details: { reason: 'time', entry: '25:00,1M', position: 2, part: '25:00' },
      },
    })
    const rate = await dispatch(handlers, 'settings:set', { rateTimetable: '08:00,fast' })
    expect(rate).toMatchObject({ ok: false, error: { code: 'Timetable.Invalid', details: { reason: 'rate', entry: '08:00,fast', position: 1, part: 'fast' } } })
    expect(await dispatch(handlers, 'settings:get', undefined)).toMatchObject({ value: { rateTimetable: '20:00,off' } })
  })
})
