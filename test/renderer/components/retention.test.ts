import { fireEvent, screen, waitFor } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { fakeApi, PROFILE } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

const DAY = 24 * 60 * 60 * 1000
/** A range whose oldest call is 4.96 days from a 30-day retention: shown as 5 (now moves on while the test runs, so never exactly 5). */
const nearRange = () => ({ kind: 'range' as const, from: new Date(Date.now() - 25 * DAY + 60 * 60 * 1000).toISOString(), to: new Date().toISOString() })

async function previewRange(): Promise<void> {
  await fireEvent.click(screen.getByRole('tab', { name: 'Date range' }))
  await fireEvent.input(screen.getByLabelText('From'), { target: { value: '2026-03-10' } })
  await fireEvent.input(screen.getByLabelText('To (inclusive)'), { target: { value: '2026-03-20' } })
  await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
  await screen.findByTestId('preview')
}

describe('retention awareness (issue 18 item 4)', () => {
  it("warns in the preview when a range's oldest call is within a week of the profile's retention, in English and Chinese", async () => {
    const fake = fakeApi({ profiles: [{ ...PROFILE, retentionDays: 30 }], preview: { origin: nearRange() } })
    await renderApp(fake)
    await previewRange()
    expect(screen.getByTestId('retention-warning').textContent).toContain('The oldest calls are 5 days from the 30-day retention set for the profile')

    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    await fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'zh-CN' } })
    await fireEvent.click(await screen.findByRole('button', { name: '新建导出' }))
    expect(screen.getByTestId('retention-warning').textContent).toContain('最早的通话距该配置设定的 30 天保留期还剩 5 天')
  })

  it('says nothing without a stated retention, or for a range far from it', async () => {
    const fake = fakeApi({ profiles: [PROFILE], preview: { origin: nearRange() } })
    await renderApp(fake)
    await previewRange()
    expect(screen.queryByTestId('retention-warning')).toBeNull()
  })

  it('a profile keeps the retention typed in its advanced section', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Add profile' }))
    await fireEvent.input(screen.getByLabelText('Profile name'), { target: { value: 'night' } })
    await fireEvent.input(screen.getByLabelText('Instance ID'), { target: { value: 'inst-9' } })
    await fireEvent.input(screen.getByLabelText('AccessKey ID'), { target: { value: 'LTAI5tExample01' } })
    await fireEvent.input(screen.getByLabelText('AccessKey secret'), { target: { value: 's3cret' } })
    await fireEvent.input(screen.getByLabelText('Retention in CCC (days)'), { target: { value: '0' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByText('A whole number of days from 1 to 3650.')
    await fireEvent.input(screen.getByLabelText('Retention in CCC (days)'), { target: { value: '180' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(fake.callsTo('profiles:save')).toHaveLength(1))
    expect(fake.callsTo('profiles:save')[0]).toMatchObject({ profile: { name: 'night', retentionDays: 180 } })
  })
})
