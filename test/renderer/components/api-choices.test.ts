import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { ERROR_CATALOG } from '../../../main/common/error-catalog.ts'
import { fakeApi, PROFILE } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

// The new-export screen with a CCC 2.0 profile (issue 14 items 2, 3 and 7): the recording kind
// for contact IDs and date ranges, and what a names list means to 2.0.
const V2 = { ...PROFILE, apiVersion: '2020-07-01' as const }

async function previewPaste(label: string, text: string, preview = 'Preview'): Promise<void> {
  await fireEvent.input(screen.getByLabelText(label), { target: { value: text } })
  await fireEvent.click(screen.getByRole('button', { name: preview }))
  await screen.findByTestId('preview')
}

describe('new export with a CCC 2.0 profile', () => {
  it('offers the recording kind for contact IDs, and sends the one chosen', async () => {
    const fake = fakeApi({ profiles: [V2] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('tab', { name: 'Contact IDs' }))
    await previewPaste('Contact IDs, one per line', 'job-1\njob-2')
    const kinds = screen.getByTestId('recording-kind')
    expect(within(kinds).getByText('Recording (CCC 2.0)')).toBeTruthy()
    expect((within(kinds).getByLabelText('One mixed WAV per call') as HTMLInputElement).checked).toBe(true)
    await fireEvent.click(within(kinds).getByLabelText('One WAV per agent leg, transfers included'))
    await fireEvent.click(screen.getByRole('button', { name: /^Start downloading/ }))
    await waitFor(() => expect(fake.callsTo('export:start')).toHaveLength(1))
    expect(fake.callsTo('export:start')[0]).toMatchObject({ recording: 'per-agent' })
  })

  it('explains that a names list is a 1.0 notion, in the page\'s language', async () => {
    await renderApp(fakeApi({ profiles: [V2], systemLocale: 'zh-CN' }))
    await fireEvent.click(screen.getByRole('tab', { name: '粘贴文件名' }))
    await previewPaste('录音文件名，每行一个', '20260305-1.wav', '预览')
    const note = screen.getByTestId('v2-names')
    expect(note.getAttribute('role')).toBe('alert')
    expect(note.textContent).toContain(ERROR_CATALOG['Api.V1NamesOnV2'].meaning['zh-CN'])
    expect(note.textContent).toContain('通话ID')
    expect(screen.queryByTestId('recording-kind')).toBeNull()
  })

  it('says which names it uses as contact IDs', async () => {
    const fake = fakeApi({ profiles: [V2], preview: { contactNames: true, sample: ['job-1.wav', 'job-2.mkv'] } })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('tab', { name: 'Paste names' }))
    await previewPaste('Recording file names, one per line', 'job-1.wav\njob-2.mkv')
    expect(screen.getByTestId('v2-names').textContent).toMatch(/fetched by its contact ID/)
    await fireEvent.click(screen.getByRole('button', { name: /^Start downloading/ }))
    await waitFor(() => expect(fake.callsTo('export:start')).toHaveLength(1))
    expect(fake.callsTo('export:start')[0]).not.toHaveProperty('recording')
  })

  it('shows none of it for a 1.0 profile', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('tab', { name: 'Contact IDs' }))
    await previewPaste('Contact IDs, one per line', 'job-1')
    expect(screen.queryByTestId('recording-kind')).toBeNull()
    expect(screen.queryByTestId('v2-names')).toBeNull()
  })
})
