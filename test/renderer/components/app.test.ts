import { screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { emptyCounts } from '../../../main/common/progress.ts'
import { ApiFailure, fakeApi, PROFILE, summary } from '../fake-api.ts'
import { connect } from '../../../renderer/state/connect.ts'
import { renderApp } from '../harness.ts'

describe('app', () => {
  it('explains why it cannot start', async () => {
    const fake = fakeApi()
    fake.handle('settings:get', async () => {
      throw new ApiFailure('Local.WriteFailed', 'EACCES: settings.json')
    })
    await renderApp(fake)
    expect(screen.getByRole('heading', { name: 'The app could not start' })).toBeTruthy()
    expect(screen.getByRole('alert').textContent).toContain('Cannot write to the output folder')
  })

  it('opens on the queue when an export is still running', async () => {
    await renderApp(fakeApi({ profiles: [PROFILE], history: [summary({ state: 'running', counts: { ...emptyCounts(), queued: 5, total: 5 } })] }))
    expect(screen.getByTestId('export-state').textContent).toBe('Downloading')
    expect(screen.getByRole('button', { name: /^Queue/ }).getAttribute('aria-current')).toBe('page')
  })

  it('subscribes to progress once on connect, and lets go on disconnect', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    expect(fake.calls).toEqual([])
    const connection = connect(fake.api)
    expect(fake.listenerCount()).toBe(1)
    await connection.ready
    connection.disconnect()
    expect(fake.listenerCount()).toBe(0)
  })
})
