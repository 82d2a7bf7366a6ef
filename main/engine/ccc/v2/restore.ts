import { API_V2, type RecordingKind } from '../../../common/api-version.ts'
import type { CallOptions } from '../client.ts'
import { listIn, type RpcCaller, text } from '../list-shape.ts'
import { legContactId, parseContactName } from './names.ts'

/**
 * RestoreArchivedRecordings (2020-07-01, ccc-api.md §7): asks for the recordings of some contacts
 * to be brought back from archive storage, and says how far each restore is. Calling it again
 * for the same contacts is how a restore is polled (the API has no separate status action).
 *
 * What is known (the public SDK models, @alicloud/ccc20200701 RestoreArchivedRecordingsRequest /
 * ResponseBodyData, and the API reference): `ContactIds` is a JSON array in a string; each
 * `Data[]` item has `ContactId`, `Exists` (a string, "True"/"False" in the example), `Status`
 * ("Completed" or "Progressing") and `StorageType` ("Standard" in the example). The reference
 * lists `Parameter.Maximum` among its errors but names no maximum for ContactIds: we send at most
 * RESTORE_BATCH (20), a guess small enough to be under any sensible cap.
 */

export const RESTORE_BATCH = 20

export interface RestoreDetail {
  readonly contactId: string
  /** False when the service says there is no such recording (`Exists: "False"`). */
  readonly exists: boolean
  /** True once the recording can be downloaded again. */
  readonly completed: boolean
  readonly storageType?: string
}

/** "True"/"False" as the example has them; a JSON boolean or other casing read the same way. */
function yes(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  const t = text(value)?.toLowerCase()
  return t === 'true' ? true : t === 'false' ? false : undefined
}

export async function restoreArchivedRecordings(
  rpc: RpcCaller,
  instanceId: string,
  contactIds: readonly string[],
  options: CallOptions = {},
): Promise<Map<string, RestoreDetail>> {
  const reply = await rpc.call('RestoreArchivedRecordings', { InstanceId: instanceId, ContactIds: JSON.stringify(contactIds) }, { ...options, version: API_V2 })
  const details = new Map<string, RestoreDetail>()
  // Data is a JSON array; listIn also takes the XML-shaped forms ({Data: {…}} for one item).
  for (const item of listIn(reply, 'Data')) {
    const contactId = text(item.ContactId)
    if (!contactId) continue
    const storageType = text(item.StorageType)
    details.set(contactId, {
      contactId,
      // Absent is not "False": only an explicit no makes a recording gone.
      exists: yes(item.Exists) !== false,
      completed: text(item.Status)?.toLowerCase() === 'completed',
      ...(storageType ? { storageType } : {}),
    })
  }
  return details
}

/**
 * The contact ID a 2.0 export's file name stands for (names.ts), or undefined when it cannot be
 * told. By the kind: a per-agent leg's name (`job-1-<uuid>-<ms>.wav`) also has the mono form.
 */
export function contactIdOfName(name: string, kind: RecordingKind): string | undefined {
  return kind === 'per-agent' ? legContactId(name) : parseContactName(name)?.contactId
}
