import { checkInstance, invalid, takeFault } from './list-actions.ts'
import { RpcError, type ActionContext } from './rpc-types.ts'
import type { SimState } from './state.ts'

/**
 * Recordings in archive storage (issue 14 item 4), for CCC 2.0. What the real service does is
 * partly inferred, since neither the API reference nor the SDK models say it:
 * - GetMonoRecording / GetMultiChannelRecording / ListMonoRecordings answer as usual (their models
 *   have no storage field): the URL is presigned whatever the object's state;
 * - OSS answers the GET with 403 InvalidObjectState, as it does for any Archive-class object not
 *   restored (OSS error 0016-00000404); HEAD still answers (OSS serves an archived object's metadata);
 * - RestoreArchivedRecordings (documented: ContactIds a JSON array string; Data[] of ContactId,
 *   Exists "True"/"False", Status Completed/Progressing, StorageType) starts a restore and is
 *   asked again to poll it. A restore completes after `polls` further calls naming the contact,
 *   or once `restoreMs` of the simulator's clock has passed since the first: driven by the
 *   test's requests or clock, never by wall time. Infinity: it never completes.
 * - At most MAX_CONTACTS contact IDs a call (400 Parameter.Maximum beyond): the documents list
 *   that error but no number; 20 is the engine's batch, so the sim holds it to that.
 * Faults: `restore:<ContactId>` (any API fault) for a call naming that contact.
 */

export const MAX_CONTACTS = 20

export interface ArchiveOptions {
  /** Which call after the first answers Completed (default 2: start, Progressing, Completed; 0: at once). */
  polls?: number
  /** Or: simulator ms after the first call at which it completes. */
  restoreMs?: number
  /** The restore answers Exists "False" (archived, then deleted under the retention policy). */
  gone?: boolean
}

interface Archived {
  readonly names: ReadonlySet<string>
  readonly polls: number
  readonly restoreMs: number
  readonly gone: boolean
  asked: number
  startedAt?: number
  restored: boolean
}

export class ArchiveBook {
  private readonly byContact = new Map<string, Archived>()
  private readonly byName = new Map<string, Archived>()

  /** The contact's objects are archived (again): their GETs fail until a restore completes. */
  add(contactId: string, names: readonly string[], options: ArchiveOptions = {}): void {
    const entry: Archived = { names: new Set(names), polls: options.polls ?? 2, restoreMs: options.restoreMs ?? Number.POSITIVE_INFINITY, gone: options.gone ?? false, asked: 0, restored: false }
    this.byContact.set(contactId, entry)
    for (const name of names) this.byName.set(name, entry)
  }

  /** True while a GET of `name` must be refused as archived. */
  blocks(name: string): boolean {
    const entry = this.byName.get(name)
    return entry !== undefined && !entry.restored
  }

  /** One RestoreArchivedRecordings naming the contact: how far its restore is now. */
  ask(contactId: string, now: number): { exists: boolean; storageType: string; status: 'Completed' | 'Progressing' } {
    const entry = this.byContact.get(contactId)
    if (!entry) return { exists: true, storageType: 'Standard', status: 'Completed' }
    if (entry.gone) return { exists: false, storageType: '', status: 'Completed' }
    if (!entry.restored) {
      entry.startedAt ??= now
      const asked = entry.asked++
      if (asked >= entry.polls || now - entry.startedAt >= entry.restoreMs) entry.restored = true
    }
    return { exists: true, storageType: 'Archive', status: entry.restored ? 'Completed' : 'Progressing' }
  }
}

function contactIds(raw: string | undefined): string[] {
  if (raw === undefined || raw === '') throw new RpcError(400, 'Parameter.Null', 'The parameter ContactIds may not be null.')
  let ids: unknown
  try {
    ids = JSON.parse(raw)
  } catch {
    throw invalid('The parameter ContactIds is not a valid JSON array.')
  }
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw invalid('The parameter ContactIds is not a valid JSON array.')
  if (ids.length > MAX_CONTACTS) throw new RpcError(400, 'Parameter.Maximum', `The parameter ContactIds must be less than or equal to ${MAX_CONTACTS}.`)
  return ids as string[]
}

export function restoreArchivedRecordings({ state, params }: ActionContext): Record<string, unknown> {
  checkInstance(state, params)
  const ids = contactIds(params.ContactIds)
  state.events.emit('restore', ids)
  for (const id of ids) takeFault(state, `restore:${id}`)
  const data = ids.map((id) => detail(state, id))
  return { Code: 'OK', Message: '', HttpStatusCode: 200, Data: data }
}

function detail(state: SimState, id: string): Record<string, unknown> {
  const call = state.calls.get(id)
  // Exists is a string in the model ("False" in its example).
  if (!call || call.recordings.length === 0) return { ContactId: id, Exists: 'False', Status: 'Completed', StorageType: '' }
  const { exists, storageType, status } = state.archive.ask(id, state.now())
  return { ContactId: id, Exists: exists ? 'True' : 'False', Status: status, StorageType: storageType }
}
