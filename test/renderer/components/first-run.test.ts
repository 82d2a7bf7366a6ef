import { fireEvent, screen, waitFor } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import type { ConnectionOutcome } from '../../../main/common/connection-outcomes.ts'
import { ApiFailure, fakeApi, PROFILE } from '../fake-api.ts'
import { setLocale } from '../../../renderer/state/locale.svelte.ts'
import { renderApp } from '../harness.ts'

async function fill(label: RegExp | string, value: string): Promise<void> {
  await fireEvent.input(screen.getByLabelText(label), { target: { value } })
}

async function fillValidProfile(): Promise<void> {
  await fill('Instance ID', 'inst-42')
  await fill('AccessKey ID', 'LTAI5tAbCdEfGh')
  await fill('AccessKey secret', 's3cret-value')
}

describe('first run', () => {
  it('asks for a profile when there is none, and skips it when there is one', async () => {
    const first = await renderApp(fakeApi())
    expect(screen.getByRole('heading', { name: 'Connect to your contact center' })).toBeTruthy()
    expect(screen.queryByRole('navigation')).toBeNull()
    first.unmount()

    await renderApp(fakeApi({ profiles: [PROFILE] }))
    expect(screen.getByRole('heading', { name: 'New export' })).toBeTruthy()
    expect(screen.queryByText('Connect to your contact center')).toBeNull()
  })

  it('explains each invalid field and saves nothing', async () => {
    const fake = fakeApi()
    await renderApp(fake)
    await fill('Profile name', '  ')
    await fill('AccessKey ID', 'has spaces!')
    await fireEvent.change(screen.getByLabelText('Region'), { target: { value: 'other' } })
    await fill('Region ID', 'Not A Region')
    await fill('Endpoint (optional)', 'ftp://example.com')
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))

    expect(screen.getByText('Enter a name of up to 64 characters.')).toBeTruthy()
    expect(screen.getByText(/Enter a region ID such as cn-shanghai/)).toBeTruthy()
    expect(screen.getByText('Enter the instance ID.')).toBeTruthy()
    expect(screen.getByText('An AccessKey ID has 8 to 64 letters and digits.')).toBeTruthy()
    expect(screen.getByText('Enter the AccessKey secret.')).toBeTruthy()
    expect(screen.getByText(/Enter a full URL/)).toBeTruthy()
    expect(screen.getByLabelText('Instance ID').getAttribute('aria-invalid')).toBe('true')
    expect(fake.callsTo('profiles:save')).toEqual([])
  })

  it('tests the connection by saving first, clears the secret, and shows the outcome', async () => {
    const fake = fakeApi()
    await renderApp(fake)
    await fillValidProfile()
    await fireEvent.click(screen.getByRole('button', { name: 'Test connection' }))

    const outcome = await screen.findByTestId('connection-outcome')
    expect(outcome.textContent).toContain('Connection works')
    expect(outcome.textContent).toContain('Connection OK')
    expect(fake.callsTo('profiles:save')).toEqual([
      { profile: { name: 'default', region: 'cn-shanghai', instanceId: 'inst-42', accessKeyId: 'LTAI5tAbCdEfGh', apiVersion: '2017-07-05' }, secret: 's3cret-value' },
    ])
    expect(fake.callsTo('profiles:test')).toEqual([{ name: 'default' }])
    const secret = screen.getByLabelText('AccessKey secret') as HTMLInputElement
    expect(secret.type).toBe('password')
    expect(secret.value).toBe('')

    // Saving again keeps the stored secret: it is not asked for, and not sent.
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByRole('heading', { name: 'New export' })
    expect(fake.callsTo('profiles:save')[1]).toEqual({
      profile: { name: 'default', region: 'cn-shanghai', instanceId: 'inst-42', accessKeyId: 'LTAI5tAbCdEfGh', apiVersion: '2017-07-05' },
    })
  })

  it('shows a failed test in the system language with what to do', async () => {
    const outcome: ConnectionOutcome = {
      kind: 'secret-wrong',
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: { 'zh-CN': 'AccessKey Secret 不正确', en: 'The AccessKey secret is wrong' },
      action: { 'zh-CN': '重新输入 AccessKey Secret。', en: 'Enter the secret again.' },
    }
    await renderApp(fakeApi({ systemLocale: 'zh-CN', outcome }))
    expect(screen.getByRole('heading', { name: '连接到呼叫中心' })).toBeTruthy()
    await fill('实例 ID', 'inst-42')
    await fill('AccessKey ID', 'LTAI5tAbCdEfGh')
    await fill('AccessKey Secret', 'wrong')
    await fireEvent.click(screen.getByRole('button', { name: '测试连接' }))

    const shown = await screen.findByTestId('connection-outcome')
    expect(shown.textContent).toContain('连接失败')
    expect(shown.textContent).toContain('AccessKey Secret 不正确')
    expect(shown.textContent).toContain('重新输入 AccessKey Secret。')
    expect(shown.textContent).toContain('SignatureDoesNotMatch')
    expect(shown.textContent).not.toContain('The AccessKey secret is wrong')
  })

  it('saves with the chosen region and output folder, then opens a new export there', async () => {
    const fake = fakeApi()
    await renderApp(fake)
    await fireEvent.change(screen.getByLabelText('Region'), { target: { value: 'cn-beijing' } })
    await fillValidProfile()
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await waitFor(() => expect((screen.getByLabelText('Default output folder (optional)') as HTMLInputElement).value).toBe('/picked/folder'))
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))

    await screen.findByRole('heading', { name: 'New export' })
    expect(fake.secrets.get('default')).toBe('s3cret-value')
    expect(fake.callsTo('profiles:save')).toEqual([
      {
        profile: { name: 'default', region: 'cn-beijing', instanceId: 'inst-42', accessKeyId: 'LTAI5tAbCdEfGh', apiVersion: '2017-07-05', outputDir: '/picked/folder' },
        secret: 's3cret-value',
      },
    ])
  })

  it('explains a save that main refuses, in the UI language, and stays on the form', async () => {
    const fake = fakeApi()
    fake.handle('profiles:save', async () => {
      // What main sends: the engine's English message, and the code the UI explains.
      throw new ApiFailure('Keychain.Unavailable', 'Profile "default": Cannot reach the system keychain. [ServiceUnknown]')
    })
    await renderApp(fake)
    await fillValidProfile()
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('The system keychain cannot be reached')
    expect(alert.textContent).toContain('Keychain.Unavailable')
    expect(screen.getByRole('heading', { name: 'Connect to your contact center' })).toBeTruthy()
    try {
      setLocale('zh-CN')
      await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('无法访问系统凭据存储'))
      expect(screen.getByRole('alert').textContent).toContain('GNOME Keyring')
    } finally {
      setLocale('en')
    }
  })
})
