import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'
import { emptyCounts } from '../../../main/common/progress.ts'
import { fakeApi, PROFILE, progress, summary } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

describe('progress tiles', () => {
  it('counts failed files out of the percentage, writes long ETAs in days, and shows elapsed time and average speed', async () => {
    const fake = fakeApi({ profiles: [PROFILE], history: [summary({ counts: { ...emptyCounts(), queued: 16, total: 16 } })] })
    await renderApp(fake)
    await screen.findByTestId('export-state')
    const counts = { ...emptyCounts(), done: 8, failed: 2, queued: 6, total: 16 }
    fake.emit('export:progress', progress({ counts, etaSeconds: 5 * 86_400 + 3 * 3600 + 60 }))
    await waitFor(() => expect(screen.getByTestId('percent').textContent).toBe('50%'))
    expect(screen.getByText('5 d 3 h')).toBeTruthy()
    expect(screen.getByTestId('elapsed').textContent).toMatch(/\d+ s/)
    expect(screen.getByText('Average')).toBeTruthy()
  })

  it('“Show files” filters the list to the group and scrolls it into view', async () => {
    const scrolled = vi.spyOn(Element.prototype, 'scrollIntoView').mockImplementation(() => undefined)
    const fake = fakeApi({ profiles: [PROFILE], history: [summary()] })
    await renderApp(fake)
    await screen.findByTestId('export-state')
    fake.emit('export:progress', progress({ failures: [{ code: 'NotExist.Record', count: 2, sample: 'The recording does not exist' }] }))
    const group = await screen.findByRole('region', { name: 'Failures by cause' })
    await fireEvent.click(within(group).getByRole('button', { name: /Show files/ }))
    expect(fake.callsTo('export:files').at(-1)).toMatchObject({ state: 'failed', code: 'NotExist.Record' })
    expect(scrolled).toHaveBeenCalled()
    // The server's own words are behind Details, selectable.
    expect(within(group).getByTestId('raw-message').textContent).toBe('The recording does not exist')
    scrolled.mockRestore()
  })
})
