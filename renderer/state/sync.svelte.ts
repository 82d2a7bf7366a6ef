import type { SyncInfo } from '../../main/common/api.ts'
import { port } from './port.ts'
import { toUiError, type UiError } from './ui-error.ts'

/** History's nightly sync (issue 18): each folder's state as main read it, and which one is changing. */
class SyncStore {
  infos = $state.raw<Readonly<Record<string, SyncInfo>>>({})
  busy = $state<string | null>(null)
  errors = $state.raw<Readonly<Record<string, UiError>>>({})
}

export const syncs = new SyncStore()

export function resetSyncs(): void {
  syncs.infos = {}
  syncs.busy = null
  syncs.errors = {}
}

async function update(id: string, request: () => Promise<SyncInfo>): Promise<void> {
  const { [id]: _, ...others } = syncs.errors
  syncs.errors = others
  try {
    syncs.infos = { ...syncs.infos, [id]: await request() }
  } catch (e) {
    syncs.errors = { ...syncs.errors, [id]: toUiError(e) }
  }
}

export function loadSync(id: string): Promise<void> {
  return update(id, () => port()['sync:status']({ id }))
}

/** Writes the folder's sync settings from its export and installs the OS job, daily at `at`. */
export async function keepInSync(id: string, at: string): Promise<void> {
  syncs.busy = id
  await update(id, () => port()['sync:install']({ id, at }))
  syncs.busy = null
}

export async function stopSync(id: string): Promise<void> {
  syncs.busy = id
  await update(id, () => port()['sync:remove']({ id }))
  syncs.busy = null
}
