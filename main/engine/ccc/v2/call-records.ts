import { API_V2 } from '../../../common/api-version.ts'
import { CccError } from '../../../common/errors.ts'
import type { CallOptions } from '../client.ts'
import { num, objectIn, type RpcCaller, text } from '../list-shape.ts'
import { textFields } from '../text-fields.ts'

/** PageNumber and PageSize of ListCallDetailRecords (2020-07-01) are each 1..100 (ccc-api.md §7). */
export const V2_MAX_PAGE_SIZE = 100
export const V2_MAX_PAGE_NUMBER = 100
/** So one query reaches at most this many rows: a window that reports more is split. */
export const V2_MAX_ROWS = V2_MAX_PAGE_SIZE * V2_MAX_PAGE_NUMBER

/** One call as 2020-07-01 describes it (ListCallDetailRecords items, GetCallDetailRecord's Data). */
export interface CallRecordV2 {
  readonly contactId: string
  /** Epoch ms; null when absent. */
  readonly startTime: number | null
  readonly establishedTime: number | null
  readonly releaseTime: number | null
  /** Seconds. */
  readonly callDuration: number | null
  readonly recordingDuration: number | null
  /** False: the recording is not written yet; absent is read as ready. */
  readonly recordingReady: boolean
  readonly callingNumber?: string
  readonly calledNumber?: string
  readonly agentIds?: string
  readonly agentNames?: string
  readonly skillGroupNames?: string
  readonly contactType?: string
  readonly contactDisposition?: string
  readonly satisfaction?: string
}

export interface CallRecordPageV2 {
  readonly totalCount: number | null
  readonly records: readonly CallRecordV2[]
}

export interface CallRecordQueryV2 {
  /** Epoch ms, both inclusive as the API takes them. */
  readonly startTime: number
  readonly endTime: number
  readonly pageNumber: number
  readonly pageSize: number
  /** Calling or called: sent as `Criteria` {"phoneNumber": …}, the SDK model's example of it. */
  readonly phoneNumber?: string
  readonly contactType?: string
  readonly contactDisposition?: string
}

function nonEmpty(value: unknown): string | undefined {
  const s = text(value)
  return s === undefined || s === '' ? undefined : s
}

export function callRecordFrom(raw: Record<string, unknown>): CallRecordV2 {
  // The survey's words where the instance has them, else its index.
  // GetCallDetailRecord names the index Satisfaction, ListCallDetailRecords SatisfactionIndex.
  const satisfaction = nonEmpty(raw.SatisfactionDescription) ?? nonEmpty(raw.SatisfactionIndex) ?? nonEmpty(raw.Satisfaction)
  const optional = {
    ...textFields(raw, {
      callingNumber: 'CallingNumber',
      calledNumber: 'CalledNumber',
      agentIds: 'AgentIds',
      agentNames: 'AgentNames',
      skillGroupNames: 'SkillGroupNames',
      contactType: 'ContactType',
      contactDisposition: 'ContactDisposition',
    }),
    ...(satisfaction === undefined ? {} : { satisfaction }),
  }
  const ready = raw.RecordingReady
  return {
    contactId: text(raw.ContactId) ?? '',
    startTime: num(raw.StartTime),
    establishedTime: num(raw.EstablishedTime),
    releaseTime: num(raw.ReleaseTime),
    // CallDuration is a string in the model, the others numbers: num() takes either.
    callDuration: num(raw.CallDuration),
    recordingDuration: num(raw.RecordingDuration),
    recordingReady: !(ready === false || ready === 'false'),
    ...optional,
  }
}

function noData(action: string, reply: Record<string, unknown>): CccError {
  return new CccError({
    code: 'Http.Unexpected',
    message: `${action}: the reply has no Data`,
    ...(typeof reply.RequestId === 'string' ? { requestId: reply.RequestId } : {}),
  })
}

/** ListCallDetailRecords, 2020-07-01: one page of a window's calls, oldest first. One attempt. */
export async function listCallRecordsV2(rpc: RpcCaller, instanceId: string, query: CallRecordQueryV2, options: CallOptions = {}): Promise<CallRecordPageV2> {
  const { pageNumber, pageSize } = query
  const inRange = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max
  if (!inRange(pageNumber, V2_MAX_PAGE_NUMBER) || !inRange(pageSize, V2_MAX_PAGE_SIZE)) {
    throw new RangeError(`ListCallDetailRecords: page ${pageNumber} of size ${pageSize} is out of range`)
  }
  const params: Record<string, string> = {
    InstanceId: instanceId,
    StartTime: String(query.startTime),
    EndTime: String(query.endTime),
    PageNumber: String(pageNumber),
    PageSize: String(pageSize),
    // Oldest first: calls that land in an open window go to its end, so read pages do not shift.
    OrderByField: 'startTime',
    SortOrder: 'ASC',
  }
  if (query.phoneNumber) params.Criteria = JSON.stringify({ phoneNumber: query.phoneNumber })
  if (query.contactType) params.ContactType = query.contactType
  if (query.contactDisposition) params.ContactDisposition = query.contactDisposition
  const reply = await rpc.call('ListCallDetailRecords', params, { ...options, version: API_V2 })
  const data = objectIn(reply, 'Data')
  if (!data) throw noData('ListCallDetailRecords', reply)
  const list = Array.isArray(data.List) ? data.List : []
  return {
    totalCount: num(data.TotalCount),
    records: list.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null).map(callRecordFrom),
  }
}

/** GetCallDetailRecord, 2020-07-01: one call by its contact ID. One attempt. */
export async function getCallRecordV2(rpc: RpcCaller, instanceId: string, contactId: string, options: CallOptions = {}): Promise<CallRecordV2> {
  const reply = await rpc.call('GetCallDetailRecord', { InstanceId: instanceId, ContactId: contactId }, { ...options, version: API_V2 })
  const data = objectIn(reply, 'Data')
  if (!data) throw noData('GetCallDetailRecord', reply)
  const record = callRecordFrom(data)
  return record.contactId ? record : { ...record, contactId }
}
