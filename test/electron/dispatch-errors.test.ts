import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isKnownCode } from '../../main/common/error-catalog.ts'
import { CccError } from '../../main/common/errors.ts'
import { registerSecret } from '../../main/common/redact.ts'
import { dispatch, type Handlers } from '../../main/electron/dispatch.ts'
import { HandlerError } from '../../main/electron/handlers.ts'

/** What the page gets when a handler fails: a catalog code it can explain, never a bare errno. */
describe('dispatch: errors as the page sees them', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dispatch-errors-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  /** A map whose one method fails as `fail` does. */
  const failing = (fail: () => Promise<never>) => ({ 'export:saveGroup': fail }) as unknown as Handlers
  const reply = (fail: () => Promise<never>) => dispatch(failing(fail), 'export:saveGroup', { id: '/x', code: 'NotExist.Record' })

  it("gives an errno the engine names that code, and keeps the file's name in the message", async () => {
    const folder = join(dir, 'failed.csv')
    await mkdir(folder)
    expect(await reply(() => writeFile(folder, 'x') as Promise<never>)).toEqual({
      ok: false,
      error: { code: 'Local.WriteFailed', message: expect.stringMatching(/^export:saveGroup: EISDIR: .*failed\.csv/) },
    })
  })

  it('gives any other OS error a local code, as Excel holding a file on Windows (EBUSY) does', async () => {
    const missing = join(dir, 'gone', 'failed.csv')
    expect(await reply(() => writeFile(missing, 'x') as Promise<never>)).toEqual({ ok: false, error: { code: 'Local.FileFailed', message: expect.stringContaining(missing) } })
    // What Node throws on Windows when Excel has the file open: no way to make one on this OS.
    const busy = Object.assign(new Error("EBUSY: resource busy or locked, open 'C:\\Users\\a\\failed.csv'"), { code: 'EBUSY', errno: -4082, syscall: 'open', path: 'C:\\Users\\a\\failed.csv' })
    const r = await reply(async () => Promise.reject(busy))
    expect(r).toEqual({ ok: false, error: { code: 'Local.FileFailed', message: expect.stringContaining('failed.csv') } })
    expect(isKnownCode('Local.FileFailed')).toBe(true)
  })

  it("passes the app's own codes through, and calls only what has no name Unknown", async () => {
    expect(await reply(async () => Promise.reject(new HandlerError('Export.Busy', 'running')))).toEqual({ ok: false, error: { code: 'Export.Busy', message: 'running' } })
    // The desktop host's refusal: a plain Error carrying a catalog code.
    const shell = Object.assign(new Error('Failed to open path'), { code: 'Shell.OpenFailed' })
    expect(await reply(async () => Promise.reject(shell))).toEqual({ ok: false, error: { code: 'Shell.OpenFailed', message: 'Failed to open path' } })
    const odd = Object.assign(new Error('odd'), { code: 'ERR_SOMETHING' })
    expect(await reply(async () => Promise.reject(odd))).toEqual({ ok: false, error: { code: 'Unknown', message: 'export:saveGroup: odd' } })
  })

  it("gives the page an error's details as plain facts, redacted as the message is", async () => {
    const secret = 'dispatch-detail-secret-q1w2e3r4'
    registerSecret(secret)
    // An object is not a fact the page can show, and might not survive the copy to the page.
    const error = new CccError({ code: 'Timetable.Invalid', message: 'refused', details: { reason: 'rate', position: 2, whole: true, entry: `08:00,${secret}`, nested: { deep: 1 } } })
    expect(await reply(async () => Promise.reject(error))).toEqual({
      ok: false,
      error: { code: 'Timetable.Invalid', message: 'refused', details: { reason: 'rate', position: 2, whole: true, entry: '08:00,<redacted>' } },
    })
  })

  it('still keeps a secret out of the message', async () => {
    const secret = 'dispatch-secret-z9y8x7w6'
    registerSecret(secret)
    const path = join(dir, `no-such-${secret}`, 'f.csv')
    const r = await reply(() => writeFile(path, 'x') as Promise<never>)
    expect(r).toMatchObject({ ok: false, error: { code: 'Local.FileFailed' } })
    expect(JSON.stringify(r)).not.toContain(secret)
  })
})
