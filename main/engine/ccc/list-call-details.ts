import { CccError } from '../../common/errors.ts'
import type { CallOptions } from './client.ts'
import { listIn, num, objectIn, type RpcCaller, text } from './list-shape.ts'
import { type RecordingInfo, recordingsIn } from './list-recordings.ts'
import { textFields } from './text-fields.ts'

/** The most ListCallDetailRecords returns per page (ccc-api.md §3). */
export const MAX_PAGE_SIZE = 100
/** The longest StartTime..StopTime one ListCallDetailRecords call accepts (ccc-api.md §3). */
export const MAX_RANGE_MS = 7 * 24 * 60 * 60 * 1000

export interface CallDetailQuery {
  /** Epoch ms. */
  readonly startTime: number
  /** Epoch ms; at most MAX_RANGE_MS after startTime. */
  readonly stopTime: number
  /** 1-based. */
  readonly pageNumber: number
  /** 1..MAX_PAGE_SIZE. */
  readonly pageSize: number
  readonly phoneNumber?: string
  readonly contactType?: string
  readonly contactDisposition?: string
}

export interface CallDetailRecord {
  readonly contactId: string
  /** Epoch ms; null when the reply had none. */
  readonly startTime: number | null
  readonly duration: number | null
  readonly contactType?: string
  readonly contactDisposition?: string
  readonly callingNumber?: string
  readonly calledNumber?: string
  readonly agentNames?: string
  /** Comma-separated, as the reply has them. */
  readonly skillGroupNames?: string
  readonly satisfaction?: string
  readonly recordings: readonly RecordingInfo[]
}

export interface CallDetailPage {
  /** Filled on page 1 only (ccc-api.md §3): never use it to decide when to stop. */
  readonly totalCount: number | null
  readonly pageNumber: number
  readonly pageSize: number
  readonly records: readonly CallDetailRecord[]
}

function recordFrom(raw: Record<string, unknown>): CallDetailRecord {
  return {
    contactId: text(raw.ContactId) ?? '',
    startTime: num(raw.StartTime),
    duration: num(raw.Duration),
    ...textFields(raw, {
      contactType: 'ContactType',
      contactDisposition: 'ContactDisposition',
      callingNumber: 'CallingNumber',
      calledNumber: 'CalledNumber',
      agentNames: 'AgentNames',
      skillGroupNames: 'SkillGroupNames',
      satisfaction: 'Satisfaction',
    }),
    recordings: recordingsIn(raw),
  }
}

/**
 * ListCallDetailRecords (ccc-api.md §3): one page of the calls in a window of at most seven days,
 * oldest first, each with its recordings. One attempt: retries are the caller's.
 */
export async function listCallDetailRecords(rpc: RpcCaller, instanceId: string, query: CallDetailQuery, options: CallOptions = {}): Promise<CallDetailPage> {
  const { startTime, stopTime, pageNumber, pageSize } = query
  if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= MAX_PAGE_SIZE) || !(Number.isInteger(pageNumber) && pageNumber >= 1)) {
    throw new RangeError(`ListCallDetailRecords: page ${pageNumber} of size ${pageSize} is out of range`)
  }
  if (!(stopTime > startTime && stopTime - startTime <= MAX_RANGE_MS)) {
    throw new RangeError('ListCallDetailRecords: the time range must be positive and at most 7 days')
  }
  const params: Record<string, string> = {
    InstanceId: instanceId,
    StartTime: String(startTime),
    StopTime: String(stopTime),
    PageNumber: String(pageNumber),
    PageSize: String(pageSize),
    WithRecording: 'true',
    // Oldest first: calls that land in an open window while it is walked go to its end, so the
    // pages already read do not shift.
    OrderBy: 'ASC',
  }
  if (query.phoneNumber) params.PhoneNumber = query.phoneNumber
  if (query.contactType) params.ContactType = query.contactType
  if (query.contactDisposition) params.ContactDisposition = query.contactDisposition
  const reply = await rpc.call('ListCallDetailRecords', params, options)
  const page = objectIn(reply, 'CallDetailRecords')
  if (!page) {
    throw new CccError({
      code: 'Http.Unexpected',
      message: 'ListCallDetailRecords: the reply has no CallDetailRecords',
      ...(typeof reply.RequestId === 'string' ? { requestId: reply.RequestId } : {}),
    })
  }
  const records = listIn(page, 'List').flatMap((list) => listIn(list, 'CallDetailRecord')).map(recordFrom)
  return {
    totalCount: num(page.TotalCount),
    pageNumber: num(page.PageNumber) ?? pageNumber,
    pageSize: num(page.PageSize) ?? pageSize,
    records,
  }
}
