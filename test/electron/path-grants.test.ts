import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { HistoryStore } from '../../main/electron/settings-store.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { recordingHost } from './host-recorder.ts'

/**
 * The page is not trusted: it opens with the desktop's default program only what the app shows an
 * Open button for, and a list is read from disk only when the user chose it in the file dialog.
 */
describe('paths the page may name', () => {
  let dir: string
  let out: string
  let list: string
  const recorder = { file: null as string | null }
  const { host, calls } = recordingHost()
  let handlers: ReturnType<typeof createHandlers>
  const call = (method: string, request?: unknown) => dispatch(handlers, method, request)

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'path-grants-'))
    out = join(dir, 'march')
    await mkdir(out)
    await writeFile(join(out, 'report.csv'), '\ufefffile_name,status\n')
    await writeFile(join(out, 'manifest.csv'), '\ufefflocal_path\n')
    await mkdir(join(dir, 'march-other'))
    await writeFile(join(dir, 'march-other', 'report.csv'), 'x')
    await mkdir(join(out, 'sub'))
    await writeFile(join(out, 'sub', 'report.csv'), 'x')
    await writeFile(join(dir, 'tool.sh'), '#!/bin/sh\n')
    list = join(dir, 'names.csv')
    await writeFile(list, 'FileName\na.wav\nb.wav\n')
    await mkdir(join(dir, 'config'))
    await new HistoryStore(join(dir, 'config')).remember(out)
    handlers = createHandlers({
      host: { ...host, pickFile: async () => recorder.file },
      secrets: new KeyringStore({ service: `ccc-recordings-test-grants-${process.pid}` }),
      configDir: join(dir, 'config'),
      fetch: globalThis.fetch,
      emit: () => undefined,
    })
  })
  afterAll(async () => {
    await handlers.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('opens an export folder History knows, its report and manifest, and nothing else', async () => {
    for (const path of [out, join(out, 'report.csv'), join(out, 'manifest.csv')]) {
      expect(await call('shell:openPath', { path }), path).toEqual({ ok: true, value: undefined })
    }
    expect(calls.map((c) => c.path)).toEqual([out, join(out, 'report.csv'), join(out, 'manifest.csv')])
    calls.length = 0

    // Nothing else: a program, a sibling folder, a file deeper in, a link named like the manifest.
    await symlink(join(dir, 'tool.sh'), join(out, 'manifest.jsonl'))
    const refused = [join(dir, 'tool.sh'), '/bin/sh', dir, join(dir, 'march-other'), join(dir, 'march-other', 'report.csv'), join(out, 'sub', 'report.csv'), join(out, 'manifest.jsonl'), `${out}/sub/../../tool.sh`]
    for (const path of refused) {
      expect(await call('shell:openPath', { path }), path).toMatchObject({ ok: false, error: { code: 'Shell.OpenFailed', message: expect.stringContaining(path) } })
    }
    expect(calls).toEqual([])
  })

  it('reads a list from disk only once the user chose it in the file dialog', async () => {
    const before = await call('import:preview', { source: { kind: 'file', path: list } })
    expect(before).toMatchObject({ ok: false, error: { code: 'Import.Unreadable', message: expect.stringContaining(list) } })
    recorder.file = list
    expect(await call('dialog:pickFile')).toEqual({ ok: true, value: list })
    expect(await call('import:preview', { source: { kind: 'file', path: list } })).toMatchObject({ ok: true, value: { names: 2 } })
    // The column picker reads the same file again.
    expect(await call('import:preview', { source: { kind: 'file', path: list, column: 0, header: true } })).toMatchObject({ ok: true, value: { names: 2 } })
  })
})
