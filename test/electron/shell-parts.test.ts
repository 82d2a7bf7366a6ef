import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync, strFromU8 } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { METHODS } from '../../main/common/api.ts'
import { emptyCounts, type ExportProgress } from '../../main/common/progress.ts'
import { registerSecret } from '../../main/common/redact.ts'
import { diagnosticsZip } from '../../main/electron/diagnostics.ts'
import type { Handlers } from '../../main/electron/dispatch.ts'
import { ExportWatch } from '../../main/electron/export-watch.ts'
import { bindIpc } from '../../main/electron/ipc.ts'
import { fileLogSink } from '../../main/engine/file-log.ts'
import { createLogger, silentLogger } from '../../main/engine/log.ts'

function progress(over: Partial<ExportProgress>): ExportProgress {
  return { id: '/out', state: 'running', counts: { ...emptyCounts(), total: 10, queued: 10 }, bytes: 0, bytesPerSecond: 0, etaSeconds: null, failures: [], ...over }
}

describe('ExportWatch', () => {
  it('holds the power-save blocker only while bytes flow, and notifies once per export end', () => {
    const seen: string[] = []
    const watch = new ExportWatch({
      setProgress: (f, mode) => seen.push(`progress ${f.toFixed(1)} ${mode}`),
      keepAwake: (on) => seen.push(`awake ${on}`),
      notify: (p) => seen.push(`notify ${p.state}`),
    })
    watch.update(progress({}))
    watch.update(progress({ bytesPerSecond: 1000, counts: { ...emptyCounts(), total: 10, downloading: 2, done: 5, queued: 3 } }))
    watch.update(progress({ state: 'paused', counts: { ...emptyCounts(), total: 10, paused: 2, done: 5, queued: 3 } }))
    watch.update(progress({ state: 'running', bytesPerSecond: 1000, counts: { ...emptyCounts(), total: 10, downloading: 1, done: 9 } }))
    watch.update(progress({ state: 'finished', counts: { ...emptyCounts(), total: 10, done: 10 } }))
    watch.update(progress({ state: 'finished', counts: { ...emptyCounts(), total: 10, done: 10 } }))
    expect(seen.filter((s) => s.startsWith('awake'))).toEqual(['awake true', 'awake false', 'awake true', 'awake false'])
    expect(seen.filter((s) => s.startsWith('notify'))).toEqual(['notify finished'])
    expect(seen).toContain('progress 0.5 paused')
    expect(watch.active()).toEqual([])
  })

  it('does not notify for a pause the user asked for', () => {
    const notes: string[] = []
    const watch = new ExportWatch({ setProgress: () => undefined, keepAwake: () => undefined, notify: (p) => notes.push(p.state) })
    watch.update(progress({}))
    watch.update(progress({ state: 'paused' }))
    expect(notes).toEqual([])
    watch.update(progress({ state: 'running' }))
    watch.update(progress({ state: 'stopped', reason: { code: 'OssNotOpen', message: 'x' } }))
    expect(notes).toEqual(['stopped'])
  })
})

describe('bindIpc', () => {
  const app = 'file:///opt/ccc/dist/renderer/index.html'
  const bound = new Map<string, (event: unknown, request: unknown) => Promise<unknown>>()
  const handlers = Object.fromEntries(METHODS.map((m) => [m, async () => `answer:${m}`])) as unknown as Handlers
  bindIpc({ handle: (channel: string, fn: never) => void bound.set(channel, fn) } as never, handlers, app, silentLogger)

  it('binds one channel per contract method', () => {
    expect([...bound.keys()].sort()).toEqual([...METHODS].sort())
  })

  it('answers our top frame and refuses any other sender', async () => {
    const call = bound.get('app:info')!
    const top = { url: app, parent: null }
    expect(await call({ senderFrame: top }, undefined)).toEqual({ ok: true, value: 'answer:app:info' })
    expect(await call({ senderFrame: { url: app, parent: top } }, undefined)).toMatchObject({ ok: false, error: { code: 'Ipc.Forbidden' } })
    expect(await call({ senderFrame: { url: 'https://evil.example/', parent: null } }, undefined)).toMatchObject({ ok: false, error: { code: 'Ipc.Forbidden' } })
    expect(await call({ senderFrame: null }, undefined)).toMatchObject({ ok: false, error: { code: 'Ipc.Forbidden' } })
  })
})

describe('logs and diagnostics', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'diag-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('writes redacted log lines, and zips them with versions and summaries, redacted again', async () => {
    const secret = 'diag-secret-0123456789abcdef'
    const log = createLogger(fileLogSink(join(dir, 'logs', 'ccc-recordings.log')))
    registerSecret(secret)
    log.warn(`GET http://b.oss-cn-shanghai.aliyuncs.com/record/i/a.wav?Expires=1&OSSAccessKeyId=LTAIabcd1234&Signature=zz failed with ${secret}`)
    // A line written before the secret was known (an older log) is redacted on the way into the zip.
    await writeFile(join(dir, 'logs', 'old.log'), `old line with ${secret}\n`)
    const zip = unzipSync(await diagnosticsZip({ logsDir: join(dir, 'logs'), versions: { app: '1.0.0', node: '22' }, exports: [] }))
    expect(Object.keys(zip).sort()).toEqual(['exports.json', 'logs/ccc-recordings.log', 'logs/old.log', 'versions.json'])
    const all = Object.values(zip).map((b) => strFromU8(b)).join('\n')
    expect(all).not.toContain(secret)
    expect(all).not.toContain('LTAIabcd1234')
    expect(all).toContain('a.wav')
    expect(JSON.parse(strFromU8(zip['versions.json']!))).toEqual({ app: '1.0.0', node: '22' })
  })
})
