import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { emptyCounts } from '../../../main/common/progress.ts'
import { setLocale } from '../../../renderer/state/locale.svelte.ts'
import { fakeApi, PROFILE, progress, summary } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

const finished = summary({ id: '/rec/m', outDir: '/rec/m', state: 'finished', counts: { ...emptyCounts(), done: 3, total: 3 } })

describe('verify folder on a History entry (issue 13)', () => {
  it('verifies, shows the outcome and when the folder was last verified', async () => {
    const fake = fakeApi({ profiles: [PROFILE], history: [finished] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'History' }))
    const item = await screen.findByTestId('verify-/rec/m')
    expect(item.textContent).not.toContain('Last verified')
    await fireEvent.click(within(item).getByRole('button', { name: 'Verify folder' }))
    const readBefore = fake.callsTo('exports:history').length
    await waitFor(() => expect(within(item).getByRole('status').textContent).toContain('All 3 files match the manifest.'))
    // Nothing to fetch again: History is not read again for it.
    expect(fake.callsTo('exports:history').length).toBe(readBefore)
    expect(fake.callsTo('exports:verify')).toEqual([{ id: '/rec/m' }])
    expect(item.textContent).toContain('Last verified')
  })

  it('says which files were checked against the journal, and which the export had not recorded yet', async () => {
    const verify = {
      ok: false,
      at: '2026-03-02T08:00:00.000Z',
      files: 3,
      missing: 0,
      changed: 0,
      unexpected: 0,
      sinceManifest: 2,
      unrecorded: 1,
      problems: [{ kind: 'unrecorded' as const, path: 'c.wav' }],
    }
    const fake = fakeApi({ profiles: [PROFILE], history: [finished], verify })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'History' }))
    const item = await screen.findByTestId('verify-/rec/m')
    await fireEvent.click(within(item).getByRole('button', { name: 'Verify folder' }))
    await waitFor(() => expect(within(item).getByTestId('verify-since-manifest').textContent).toContain('2 files were downloaded after the manifest was last written'))
    expect(within(item).getByTestId('verify-unrecorded').textContent).toBe('1 file the export stopped before recording as verified. Resume the export to check it.')
    // Nothing missing or changed: no way back to offer.
    expect(within(item).queryByTestId('verify-repair')).toBeNull()
    expect(item.textContent).toContain('c.wav — not yet recorded as verified')
  })

  it('says a stopped export is not finished: what it has still to download or list', async () => {
    const verify = { ok: true, at: '2026-03-02T08:00:00.000Z', files: 2, missing: 0, changed: 0, unexpected: 0, toDo: 3, listingUnfinished: true as const, problems: [] }
    const fake = fakeApi({ profiles: [PROFILE], history: [finished], verify })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'History' }))
    const item = await screen.findByTestId('verify-/rec/m')
    await fireEvent.click(within(item).getByRole('button', { name: 'Verify folder' }))
    await waitFor(() =>
      expect(within(item).getByTestId('verify-unfinished').textContent?.trim()).toBe(
        "The export is not finished: 3 recordings are still to download, which this check cannot cover yet. Resume the export to fetch them. The export's listing stopped before it saw every call. Resume the export to list the rest.",
      ),
    )
  })

  it('says so when there was no manifest yet, rather than one "last written"', async () => {
    const verify = { ok: true, at: '2026-03-02T08:00:00.000Z', files: 2, missing: 0, changed: 0, unexpected: 0, sinceManifest: 2, noManifest: true as const, problems: [] }
    const fake = fakeApi({ profiles: [PROFILE], history: [finished], verify })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'History' }))
    const item = await screen.findByTestId('verify-/rec/m')
    await fireEvent.click(within(item).getByRole('button', { name: 'Verify folder' }))
    await waitFor(() => expect(within(item).getByTestId('verify-since-manifest').textContent).toContain('2 files were downloaded before the export wrote its first manifest'))
    expect(item.textContent).not.toContain('last written')
  })

  it('names what is missing or changed, in Chinese too', async () => {
    setLocale('zh-CN')
    const verify = {
      ok: false,
      at: '2026-03-02T08:00:00.000Z',
      files: 3,
      missing: 1,
      changed: 1,
      unexpected: 0,
      problems: [
        { kind: 'missing' as const, path: '张伟/a.wav' },
        { kind: 'changed' as const, path: '张伟/b.wav' },
      ],
    }
    const fake = fakeApi({ profiles: [PROFILE], settings: { language: 'zh-CN' }, history: [{ ...finished, lastVerified: { ...verify, ok: true } }], verify })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: '历史记录' }))
    const item = await screen.findByTestId('verify-/rec/m')
    expect(item.textContent).toContain('上次校验')
    const readBefore = fake.callsTo('exports:history').length
    await fireEvent.click(within(item).getByRole('button', { name: '校验文件夹' }))
    await waitFor(() => expect(within(item).getByRole('status').textContent).toContain('共 3 个文件：缺失 1 个，已改动 1 个，多出 0 个。'))
    expect(item.textContent).toContain('张伟/a.wav — 缺失')
    expect(item.textContent).toContain('张伟/b.wav — 已改动')
    expect(within(item).getByTestId('verify-repair').textContent).toBe('继续该导出即可重新下载缺失的文件。要重新下载已改动文件在 CCC 中的原件，请将其移走或删除后继续导出（若它可能需留作证据，请先复制到别处：大小已变的改动文件会被继续导出时的下载覆盖）。')
    // History is read again, so the entry (now paused, with files to fetch) offers Resume.
    await waitFor(() => expect(fake.callsTo('exports:history').length).toBe(readBefore + 1))
    expect(item.textContent).toContain('发现问题')
    setLocale('en')
  })
})

describe('what the disk and the wire said, in the export detail (issue 17)', () => {
  it('says which files are downloaded again, which were verified by length only, and when the network is awaited', async () => {
    const running = { ...summary({ state: 'running', recheck: { missing: 2, changed: 1 } }), lengthOnly: 1 }
    const fake = fakeApi({ profiles: [PROFILE], history: [running] })
    await renderApp(fake)
    await screen.findByTestId('export-state')
    expect(screen.getByTestId('recheck').textContent).toBe('3 files were missing or changed on disk and are downloaded again.')
    expect(screen.getByTestId('length-only').textContent).toBe('1 file verified by length only (no checksum came).')
    fake.emit('export:progress', progress({ state: 'running', network: { waitingSince: '2026-03-02T08:00:00.000Z' } }))
    await waitFor(() => expect(screen.getByText(/Waiting for the network since .*; the export goes on by itself\./)).toBeTruthy())
  })
})
