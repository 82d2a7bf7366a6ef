import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { emptyCounts } from '../../../main/common/progress.ts'
import { fakeApi, info, PROFILE, progress, summary } from '../fake-api.ts'
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

  it('asks the same way from a Queue row: focus in the question, Escape and Keep going return it to the row’s Cancel', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    fake.emit('export:progress', progress({ id: '/rec/a', export: { ...info({ id: '/rec/a', outDir: '/rec/a' }), origin: { kind: 'names', file: '/x/a.csv' } } }))
    await fireEvent.click(screen.getByRole('button', { name: /Queue/ }))
    const table = await screen.findByRole('table', { name: 'Exports' })
    const rowCancel = () => within(table).getByRole('button', { name: 'Cancel a.csv' })

    await fireEvent.click(rowCancel())
    const question = await within(table).findByRole('alertdialog', { name: 'Cancel this export?' })
    const confirm = within(question).getByRole('button', { name: 'Cancel export' })
    await waitFor(() => expect(document.activeElement).toBe(confirm))
    await fireEvent.keyDown(confirm, { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(within(question).getByRole('button', { name: 'Keep going' }))
    await fireEvent.keyDown(document.activeElement!, { key: 'Escape' })
    await waitFor(() => expect(within(table).queryByRole('alertdialog')).toBeNull())
    expect(document.activeElement).toBe(rowCancel())

    await fireEvent.click(rowCancel())
    await fireEvent.click(await within(table).findByRole('button', { name: 'Keep going' }))
    await waitFor(() => expect(document.activeElement).toBe(rowCancel()))
    expect(fake.callsTo('export:cancel')).toEqual([])
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
