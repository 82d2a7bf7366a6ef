import { fireEvent, screen, waitFor } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { fakeApi, PROFILE } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

describe('time zone and sidecar on the new-export screen (issue 13, as the CLI’s --time-zone and --sidecar)', () => {
  it('previews again in the chosen zone and starts with it and the sidecar; China Standard Time goes unsaid', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('tab', { name: 'Paste names' }))
    await fireEvent.input(screen.getByLabelText(/names/i, { selector: 'textarea' }), { target: { value: 'a.wav\nb.wav\nc.wav' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
    await screen.findByTestId('preview')
    const zone = screen.getByLabelText('Time zone for names') as HTMLSelectElement
    expect(zone.value).toBe('Asia/Shanghai')
    await fireEvent.change(screen.getByLabelText('Name the files'), { target: { value: 'by-date' } })
    await waitFor(() => expect(fake.callsTo('import:names').at(-1)).toEqual({ token: 'tok-1', template: 'by-date' }))

    await fireEvent.change(zone, { target: { value: 'Europe/Berlin' } })
    await waitFor(() => expect(fake.callsTo('import:names').at(-1)).toEqual({ token: 'tok-1', template: 'by-date', timeZone: 'Europe/Berlin' }))
    await fireEvent.click(screen.getByRole('checkbox', { name: /call details beside it/ }))
    await fireEvent.click(screen.getByRole('button', { name: 'Start downloading 3 files' }))
    await waitFor(() => expect(fake.callsTo('export:start')).toHaveLength(1))
    expect(fake.callsTo('export:start')[0]).toMatchObject({ nameTemplate: 'by-date', timeZone: 'Europe/Berlin', sidecar: true })
  })
})
