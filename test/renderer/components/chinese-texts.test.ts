import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { CONNECTION_OUTCOME_TEXT, type ConnectionOutcome } from '../../../main/common/connection-outcomes.ts'
import { fakeApi, OK_OUTCOME, PROFILE, summary } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

// Words the components once wrote themselves, in English whatever the language: now from the
// message files, so a user who picks 中文 reads them in Chinese.
describe('texts the components used to hard-code, in Chinese', () => {
  it('names the generation a connection test found in Chinese, as the API version field does', async () => {
    const fake = fakeApi({ settings: { language: 'zh-CN' } })
    const isV2: ConnectionOutcome = { kind: 'instance-is-v2', ok: false, code: 'Api.InstanceIsV2', apiVersion: '2020-07-01', ...CONNECTION_OUTCOME_TEXT['instance-is-v2'] }
    let tests = 0
    fake.handle('profiles:test', async () => (tests++ === 0 ? isV2 : { ...OK_OUTCOME, apiVersion: '2020-07-01' }))
    await renderApp(fake)
    await fireEvent.input(screen.getByLabelText('实例 ID'), { target: { value: 'ccc-test' } })
    await fireEvent.input(screen.getByLabelText('AccessKey ID'), { target: { value: 'LTAITestOnlyNotAKey' } })
    await fireEvent.input(screen.getByLabelText('AccessKey Secret'), { target: { value: 's3cret-value' } })
    await fireEvent.click(screen.getByRole('button', { name: '测试连接' }))

    const note = await screen.findByTestId('api-detected')
    expect(note.textContent?.trim()).toBe('连接测试识别出该实例为云联络中心 2.0：API 版本已改为 2020-07-01（云联络中心 2.0），并随配置保存。')
    await waitFor(() => expect(screen.getByTestId('connection-outcome').textContent).toContain('连接正常'))
  })

  it("writes a listed profile's API version in Chinese", async () => {
    await renderApp(fakeApi({ profiles: [PROFILE], settings: { language: 'zh-CN' } }))
    await fireEvent.click(screen.getByRole('button', { name: '设置' }))
    const list = screen.getByRole('region', { name: '配置' })
    expect(within(list).getByText(/API 版本 2017-07-05$/)).toBeTruthy()
  })

  it('says a kept layout in words, not by its key', async () => {
    const fake = fakeApi({ profiles: [PROFILE], settings: { language: 'zh-CN' } })
    fake.handle('export:start', async (r) => ({ ...summary({ outDir: r.outDir, profile: r.profile, state: 'running' }), namingKept: 'by-date' }))
    await renderApp(fake)
    const dataTransfer = { files: [new File(['a.wav\n'], 'names.txt')], types: ['Files'], dropEffect: 'none' }
    await fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer })
    await screen.findByTestId('preview')
    await fireEvent.click(screen.getByRole('button', { name: '开始下载 3 个文件' }))
    await screen.findByRole('heading', { name: '下载队列', level: 1 })
    expect((await screen.findByTestId('naming-kept')).textContent).toBe(
      '该文件夹中的导出已按“每天一个文件夹”命名文件，因此沿用该命名。如需其他命名方式，请选择另一个文件夹。',
    )
  })
})
