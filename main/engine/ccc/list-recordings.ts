import type { CallOptions } from './client.ts'
import { listIn, num, type RpcCaller, text } from './list-shape.ts'
import { textFields } from './text-fields.ts'

export type { RpcCaller } from './list-shape.ts'

/** One recording file of a call (ccc-api.md §3): a call with transfers has several. */
export interface RecordingInfo {
  readonly fileName: string
  readonly contactId?: string
  /** Epoch ms; null when the reply had none. */
  readonly startTime: number | null
  /** Seconds. */
  readonly duration: number | null
  readonly contactType?: string
  readonly agentId?: string
  readonly agentName?: string
  readonly callingNumber?: string
  readonly calledNumber?: string
  readonly fileDescription?: string
}

/** A `Recording` object of either listing action; null when it names no file. */
export function recordingFrom(raw: Record<string, unknown>): RecordingInfo | null {
  const fileName = text(raw.FileName)?.trim()
  if (!fileName) return null
  return {
    fileName,
    startTime: num(raw.StartTime),
    duration: num(raw.Duration),
    ...textFields(raw, {
      contactId: 'ContactId',
      contactType: 'ContactType',
      agentId: 'AgentId',
      agentName: 'AgentName',
      callingNumber: 'CallingNumber',
      calledNumber: 'CalledNumber',
      fileDescription: 'FileDescription',
    }),
  }
}

/** The recordings of a `Recordings: {Recording: …}` wrapper, whatever shape POP gave the list. */
export function recordingsIn(container: unknown): RecordingInfo[] {
  const out: RecordingInfo[] = []
  for (const raw of listIn(container, 'Recordings').flatMap((w) => listIn(w, 'Recording'))) {
    const r = recordingFrom(raw)
    if (r) out.push(r)
  }
  return out
}

/**
 * ListRecordingsByContactId (ccc-api.md §3): every recording file of one call. An empty array is
 * a real answer (the call was not recorded), not an error. One attempt: retries are the caller's.
 */
export async function listRecordingsByContactId(
  rpc: RpcCaller,
  instanceId: string,
  contactId: string,
  options: CallOptions = {},
): Promise<RecordingInfo[]> {
  const reply = await rpc.call('ListRecordingsByContactId', { InstanceId: instanceId, ContactId: contactId }, options)
  return recordingsIn(reply)
}
