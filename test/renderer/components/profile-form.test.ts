import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { CONNECTION_OUTCOME_TEXT, type ConnectionOutcome } from '../../../main/common/connection-outcomes.ts'
import { fakeApi, OK_OUTCOME, PROFILE } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

// The profile form: editing a saved profile (issue 15 item 8), its STS token, and the API
// generation filled in by the connection test (issue 14 items 1 and 7).
async function openEdit(name = 'default'): Promise<HTMLElement> {
  await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
  const list = screen.getByRole('region', { name: 'Profiles' })
  const row = within(list).getAllByRole('listitem').find((li) => li.textContent?.includes(name))!
  await fireEvent.click(within(row).getByRole('button', { name: 'Edit' }))
  return within(list).getByRole('listitem', { name: 'Edit profile' })
}

describe('the profile form', () => {
  it('edits a profile in place: fields prefilled, the name fixed, key ID, secret and token kept when left blank', async () => {
    const fake = fakeApi({ profiles: [{ ...PROFILE, apiVersion: '2020-07-01' }] })
    await renderApp(fake)
    const form = await openEdit()
    const name = within(form).getByLabelText('Profile name') as HTMLInputElement
    expect(name.value).toBe('default')
    expect(name.readOnly).toBe(true)
    expect((within(form).getByLabelText('Instance ID') as HTMLInputElement).value).toBe('inst-1')
    expect((within(form).getByLabelText('API version') as HTMLSelectElement).value).toBe('2020-07-01')
    expect((within(form).getByLabelText('AccessKey ID') as HTMLInputElement).placeholder).toContain('LTAI****abcd')

    await fireEvent.input(within(form).getByLabelText('Instance ID'), { target: { value: 'inst-9' } })
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(fake.callsTo('profiles:save')).toHaveLength(1))
    expect(fake.callsTo('profiles:save')[0]).toEqual({
      profile: { name: 'default', region: 'cn-shanghai', instanceId: 'inst-9', apiVersion: '2020-07-01', outputDir: '/home/user/Recordings' },
    })
    // The form closes; the row shows the change, the key ID as it was.
    const list = screen.getByRole('region', { name: 'Profiles' })
    await waitFor(() => expect(within(list).queryByRole('listitem', { name: 'Edit profile' })).toBeNull())
    expect(list.textContent).toContain('inst-9')
    expect(list.textContent).toContain('LTAI****abcd')
  })

  it('saves an STS token to the keychain, keeps it on a later edit, and removes it when asked', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    let form = await openEdit()
    const token = within(form).getByLabelText('STS security token (optional)') as HTMLInputElement
    expect(token.type).toBe('password')
    await fireEvent.input(token, { target: { value: 'with space' } })
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }))
    expect(within(form).getByText('Paste the whole token, without spaces.')).toBeTruthy()
    expect(fake.callsTo('profiles:save')).toEqual([])

    await fireEvent.input(token, { target: { value: ' CAIS-sts-token-0123 ' } })
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(fake.callsTo('profiles:save')).toHaveLength(1))
    expect(fake.callsTo('profiles:save')[0]).toMatchObject({ securityToken: 'CAIS-sts-token-0123' })
    expect(fake.secrets.get('default (STS token)')).toBe('CAIS-sts-token-0123')
    const list = screen.getByRole('region', { name: 'Profiles' })
    await waitFor(() => expect(within(list).getByText('STS')).toBeTruthy())

    form = await openEdit()
    expect((within(form).getByLabelText('STS security token (optional)') as HTMLInputElement).placeholder).toBe('Saved in the keychain; leave blank to keep it')
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(fake.callsTo('profiles:save')).toHaveLength(2))
    expect(fake.callsTo('profiles:save')[1]).not.toHaveProperty('securityToken')

    form = await openEdit()
    await fireEvent.click(within(form).getByLabelText('Remove the saved token'))
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(fake.callsTo('profiles:save')).toHaveLength(3))
    expect(fake.callsTo('profiles:save')[2]).toMatchObject({ securityToken: null })
    expect(fake.secrets.has('default (STS token)')).toBe(false)
  })

  it('offers the generation a listed profile\'s test found, and saves it keeping the key ID and secret', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    const isV2: ConnectionOutcome = { kind: 'instance-is-v2', ok: false, code: 'Api.InstanceIsV2', apiVersion: '2020-07-01', ...CONNECTION_OUTCOME_TEXT['instance-is-v2'] }
    let tests = 0
    fake.handle('profiles:test', async () => (tests++ === 0 ? isV2 : { ...OK_OUTCOME, apiVersion: '2020-07-01' }))
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    const list = screen.getByRole('region', { name: 'Profiles' })
    await fireEvent.click(within(list).getByRole('button', { name: 'Test connection' }))
    await within(list).findByText(CONNECTION_OUTCOME_TEXT['instance-is-v2'].message.en)
    await fireEvent.click(within(list).getByRole('button', { name: 'Use API version 2020-07-01' }))
    await within(list).findByText('Connection OK')
    expect(fake.callsTo('profiles:save')).toEqual([
      { profile: { name: 'default', region: 'cn-shanghai', instanceId: 'inst-1', outputDir: '/home/user/Recordings', apiVersion: '2020-07-01' } },
    ])
    expect(within(list).queryByRole('button', { name: /Use API version/ })).toBeNull()
  })

  it('takes the generation the connection test found, saves it and tests again', async () => {
    const fake = fakeApi()
    const isV2: ConnectionOutcome = { kind: 'instance-is-v2', ok: false, code: 'Api.InstanceIsV2', apiVersion: '2020-07-01', ...CONNECTION_OUTCOME_TEXT['instance-is-v2'] }
    let tests = 0
    fake.handle('profiles:test', async () => (tests++ === 0 ? isV2 : { ...OK_OUTCOME, apiVersion: '2020-07-01' }))
    await renderApp(fake)
    await fireEvent.input(screen.getByLabelText('Instance ID'), { target: { value: 'ccc-test' } })
    await fireEvent.input(screen.getByLabelText('AccessKey ID'), { target: { value: 'LTAI5tAbCdEfGh' } })
    await fireEvent.input(screen.getByLabelText('AccessKey secret'), { target: { value: 's3cret-value' } })
    expect((screen.getByLabelText('API version') as HTMLSelectElement).value).toBe('2017-07-05')
    await fireEvent.click(screen.getByRole('button', { name: 'Test connection' }))

    const note = await screen.findByTestId('api-detected')
    expect(note.textContent).toContain('CCC 2.0')
    expect(note.textContent).toContain('2020-07-01')
    await waitFor(() => expect(screen.getByTestId('connection-outcome').textContent).toContain('Connection works'))
    expect((screen.getByLabelText('API version') as HTMLSelectElement).value).toBe('2020-07-01')
    expect(fake.callsTo('profiles:save').map((c) => (c as { profile: { apiVersion?: string } }).profile.apiVersion)).toEqual(['2017-07-05', '2020-07-01'])
    expect(tests).toBe(2)
  })
})
