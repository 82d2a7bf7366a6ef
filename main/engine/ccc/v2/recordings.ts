import { API_V2 } from '../../../common/api-version.ts'
import { CccError } from '../../../common/errors.ts'
import type { CallOptions, RecordingUrl } from '../client.ts'
import { num, objectIn, type RpcCaller, text } from '../list-shape.ts'

/**
 * The 2020-07-01 recording actions (ccc-api.md §7): a call's recording is found by its contact
 * ID, not by a file name. Each is one attempt; retries are the caller's.
 */

/** One agent leg of ListMonoRecordings (a transferred call has several). */
export interface RecordingLeg {
  readonly contactId: string
  readonly fileName: string
  readonly url: string
  readonly agentId?: string
  readonly agentName?: string
  /** Epoch ms. */
  readonly startTime: number | null
  /** The model gives no unit; the example (5903871) reads as ms, so seconds = value / 1000. */
  readonly durationMs: number | null
}

/**
 * The URL lifetime asked of GetMonoRecording: a day, the documented maximum, so a long transfer
 * started just after the URL was resolved still finishes on it; a URL that expires anyway is
 * renewed (file-job's renewUrl).
 */
export const EXPIRE_SECONDS = 86_400

function usableUrl(action: string, contactId: string, reply: Record<string, unknown>, raw: unknown): string {
  const url = typeof raw === 'string' ? raw.trim() : ''
  if (/^https?:\/\//i.test(url)) return url
  throw new CccError({
    code: 'Http.Unexpected',
    message: `${action} for contact ${contactId}: the reply has no usable FileUrl`,
    ...(typeof reply.RequestId === 'string' ? { requestId: reply.RequestId } : {}),
  })
}

async function single(rpc: RpcCaller, action: string, params: Record<string, string>, options: CallOptions): Promise<RecordingUrl> {
  const contactId = params.ContactId ?? ''
  const reply = await rpc.call(action, params, { ...options, version: API_V2 })
  const data = objectIn(reply, 'Data')
  const url = usableUrl(action, contactId, reply, data?.FileUrl)
  return { url, fileName: text(data?.FileName) ?? contactId }
}

/** GetMonoRecording: the call mixed to one WAV. */
export function getMonoRecording(rpc: RpcCaller, instanceId: string, contactId: string, options: CallOptions = {}): Promise<RecordingUrl> {
  return single(rpc, 'GetMonoRecording', { InstanceId: instanceId, ContactId: contactId, ExpireSeconds: String(EXPIRE_SECONDS) }, options)
}

/** GetMultiChannelRecording: an MKV with a track per party (the action takes no lifetime). */
export function getMultiChannelRecording(rpc: RpcCaller, instanceId: string, contactId: string, options: CallOptions = {}): Promise<RecordingUrl> {
  return single(rpc, 'GetMultiChannelRecording', { InstanceId: instanceId, ContactId: contactId }, options)
}

/** ListMonoRecordings: one WAV per agent leg, transfer legs included. */
export async function listMonoRecordings(rpc: RpcCaller, instanceId: string, contactId: string, options: CallOptions = {}): Promise<RecordingLeg[]> {
  const reply = await rpc.call('ListMonoRecordings', { InstanceId: instanceId, ContactId: contactId }, { ...options, version: API_V2 })
  const data = Array.isArray(reply.Data) ? reply.Data : []
  const legs: RecordingLeg[] = []
  for (const raw of data) {
    if (typeof raw !== 'object' || raw === null) continue
    const r = raw as Record<string, unknown>
    const fileName = text(r.FileName)
    if (!fileName) continue
    const agentId = text(r.AgentId)
    const agentName = text(r.AgentName)
    legs.push({
      contactId: text(r.ContactId) || contactId,
      fileName,
      url: typeof r.FileUrl === 'string' ? r.FileUrl.trim() : '',
      ...(agentId ? { agentId } : {}),
      ...(agentName ? { agentName } : {}),
      startTime: num(r.StartTime),
      durationMs: num(r.Duration),
    })
  }
  return legs
}
