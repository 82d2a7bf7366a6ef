import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { emptyCounts } from '../../../main/common/progress.ts'
import { fakeApi, PROFILE, progress, summary } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

// Archived CCC 2.0 recordings being restored (issue 14 item 4) are a state of their own in the queue.
describe('the restoring state', () => {
  it('has its chip with its count, and the file filter offers it', async () => {
    const fake = fakeApi({ profiles: [PROFILE], history: [summary({ counts: { ...emptyCounts(), queued: 10, total: 10 } })] })
    await renderApp(fake)
    await screen.findByTestId('export-state')
    fake.emit('export:progress', progress({ counts: { ...emptyCounts(), done: 4, restoring: 3, queued: 3, total: 10 } }))
    const chips = await screen.findByRole('list', { name: 'Files by state' })
    await waitFor(() => expect(within(chips).getByText('Restoring').parentElement?.textContent).toBe('Restoring 3'))
    const filter = screen.getByLabelText('Show')
    await fireEvent.change(filter, { target: { value: 'restoring' } })
    expect(fake.callsTo('export:files').at(-1)).toMatchObject({ state: 'restoring' })
  })
})
