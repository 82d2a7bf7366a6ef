import { render } from '@testing-library/svelte'
import { tick } from 'svelte'
import { afterEach } from 'vitest'
import App from '../../renderer/App.svelte'
import { connect, type Connection } from '../../renderer/state/connect.ts'
import type { Fake } from './fake-api.ts'

let connection: Connection | null = null

afterEach(() => {
  connection?.disconnect()
  connection = null
})

/** Connects the state modules to the fake, renders the whole app and waits for its first screen. */
export async function renderApp(fake: Fake): Promise<{ unmount(): void }> {
  connection = connect(fake.api)
  const result = render(App)
  await connection.ready
  await tick()
  return result
}
