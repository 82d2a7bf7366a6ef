import { fireEvent, screen, waitFor } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { emptyCounts } from '../../../main/common/progress.ts'
import { fakeApi, PROFILE, summary } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

describe('keyboard', () => {
  it('moves between source tabs with the arrow keys, Home and End, as a WAI-ARIA tablist', async () => {
    await renderApp(fakeApi({ profiles: [PROFILE] }))
    const file = screen.getByRole('tab', { name: 'File' })
    expect(file.getAttribute('tabindex')).toBe('0')
    expect(screen.getByRole('tab', { name: 'Paste names' }).getAttribute('tabindex')).toBe('-1')
    await fireEvent.keyDown(file, { key: 'ArrowRight' })
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe('Paste names'))
    expect(screen.getByRole('tab', { name: 'Paste names' }).getAttribute('aria-selected')).toBe('true')
    await fireEvent.keyDown(document.activeElement!, { key: 'End' })
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe('Date range'))
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' })
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe('File'))
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' })
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe('Date range'))
  })

  it('puts focus in the cancel question, keeps Tab inside it, and returns focus to Cancel on Escape', async () => {
    await renderApp(fakeApi({ profiles: [PROFILE], history: [summary({ counts: { ...emptyCounts(), queued: 3, total: 3 } })] }))
    await screen.findByTestId('export-state')
    const cancel = screen.getAllByRole('button', { name: 'Cancel' })[0]!
    await fireEvent.click(cancel)
    const confirm = await screen.findByRole('button', { name: 'Cancel export' })
    await waitFor(() => expect(document.activeElement).toBe(confirm))
    const keep = screen.getByRole('button', { name: 'Keep going' })
    keep.focus()
    await fireEvent.keyDown(keep, { key: 'Tab' })
    expect(document.activeElement).toBe(confirm)
    await fireEvent.keyDown(confirm, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull())
    expect(document.activeElement).toBe(cancel)
  })
})

describe('first run', () => {
  it('offers the language before anything else, and switches at once', async () => {
    const fake = fakeApi({ systemLocale: 'en-US' })
    await renderApp(fake)
    await screen.findByRole('heading', { name: 'Connect to your contact center' })
    await fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'zh-CN' } })
    await screen.findByRole('heading', { name: '连接到呼叫中心' })
    expect(fake.callsTo('settings:set')).toEqual([{ language: 'zh-CN' }])
  })
})
