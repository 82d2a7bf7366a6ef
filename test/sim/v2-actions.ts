import { bump } from './types.ts'
import { calledNumber, callingNumber, type SimCall, TRANSFER_GAP_MS } from './calls.ts'
import { API_FAULTS } from './faults.ts'
import { checkInstance, integer, invalid, takeFault } from './list-actions.ts'
import { presignedUrl } from './oss-url.ts'
import { apiFault } from './download-recording.ts'
import { RpcError, type ActionContext } from './rpc-types.ts'
import { v2Error } from './v2-errors.ts'
import type { SimState } from './state.ts'

/**
 * The 2020-07-01 (CCC 2.0) actions (ccc-api.md §7), answered from the calls seeded with
 * Sim.addCall. A call with recordings has a mixed WAV served as `<contactId>.wav`, an MKV as
 * `<contactId>.mkv`, and its `recordings` are the per-agent legs' file names. Choices where the
 * documents are silent:
 * - PageNumber and PageSize are each 1..100: below, the documented 400 Parameter.Minimum; above
 *   (no code documented), 400 Parameter.Invalid (so 10,000 rows a query);
 * - an unknown instance is 404 NotExists.InstanceId, a blank ContactId 400 Parameter.Blank;
 * - StartTime and EndTime are both inclusive; TotalCount on every page; ASC only when asked;
 * - a call with notReady has RecordingReady false and its recordings answer NotExist.Record;
 * - ExpireSeconds 1..86400 (the documented day; below 1, Parameter.Minimum), default the
 *   simulator's URL lifetime.
 * Faults: `ListCallDetailRecords`, `contact:<ContactId>` for GetCallDetailRecord and
 * ListMonoRecordings, and the object name (`<id>.wav`, `<id>.mkv`, a leg) for the URL actions,
 * `expire-url` included; `api-v2-error` answers any documented 2.0 error (v2-errors.ts).
 */

const MAX_PAGE = 100
const OK = { Code: 'OK', Message: '', HttpStatusCode: 200 }

function contactOf(state: SimState, params: Readonly<Record<string, string>>): SimCall | undefined {
  checkInstance(state, params)
  const contactId = params.ContactId
  // 2.0 words a missing parameter its own way (v2-errors.ts), not as POP's Missing<Name>.
  if (!contactId?.trim()) throw v2Error('Parameter.Blank', 'ContactId')
  return state.calls.get(contactId)
}

function noRecording(id: string): RpcError {
  return new RpcError(404, 'NotExist.Record', `The recording of contact ${id} does not exist.`)
}

function recordView(state: SimState, c: SimCall): Record<string, unknown> {
  const agents = c.agentName.split(',')
  return {
    ContactId: c.contactId,
    InstanceId: state.instanceId,
    StartTime: c.startTime,
    EstablishedTime: c.startTime + 5000,
    ReleaseTime: c.startTime + 5000 + c.duration * 1000,
    CallDuration: String(c.duration),
    RecordingDuration: c.recordings.length > 0 ? c.duration : 0,
    RecordingReady: !c.notReady && c.recordings.length > 0,
    CallingNumber: callingNumber(c),
    CalledNumber: calledNumber(c),
    AgentIds: agents.map((a) => `${a}@sim`).join(','),
    AgentNames: c.agentName,
    SkillGroupIds: 'default@sim',
    SkillGroupNames: 'default',
    ContactType: c.contactType,
    ContactDisposition: c.disposition,
    SatisfactionIndex: 1,
    SatisfactionDescription: '满意',
  }
}

export function listCallDetailRecordsV2({ state, params }: ActionContext): Record<string, unknown> {
  checkInstance(state, params)
  const pageNumber = integer(params, 'PageNumber')
  const pageSize = integer(params, 'PageSize')
  const start = integer(params, 'StartTime', 0)
  const end = integer(params, 'EndTime', Number.MAX_SAFE_INTEGER)
  if (pageNumber < 1) throw v2Error('Parameter.Minimum', 'PageNumber', '1')
  if (pageSize < 1) throw v2Error('Parameter.Minimum', 'PageSize', '1')
  if (pageNumber > MAX_PAGE) throw invalid(`The parameter PageNumber must be between 1 and ${MAX_PAGE}.`)
  if (pageSize > MAX_PAGE) throw invalid(`The parameter PageSize must be between 1 and ${MAX_PAGE}.`)
  if (end < start) throw invalid('The parameter EndTime must not be earlier than StartTime.')
  state.events.emit('list', 'ListCallDetailRecords', params)
  takeFault(state, 'ListCallDetailRecords')
  let phone: string | undefined
  if (params.Criteria) {
    try {
      phone = (JSON.parse(params.Criteria) as { phoneNumber?: string }).phoneNumber
    } catch {
      throw invalid('The parameter Criteria is not valid JSON.')
    }
  }
  const found = state.calls.all().filter(
    (c) =>
      c.startTime >= start &&
      c.startTime <= end &&
      (!phone || callingNumber(c) === phone || calledNumber(c) === phone) &&
      (!params.ContactType || c.contactType === params.ContactType) &&
      (!params.ContactDisposition || c.disposition === params.ContactDisposition) &&
      (!params.ContactId || c.contactId === params.ContactId),
  )
  const ordered = params.SortOrder?.toUpperCase() === 'ASC' ? found : [...found].reverse()
  const list = ordered.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((c) => recordView(state, c))
  return { ...OK, Data: { List: list, PageNumber: pageNumber, PageSize: pageSize, TotalCount: found.length } }
}

export function getCallDetailRecord({ state, params }: ActionContext): Record<string, unknown> {
  const call = contactOf(state, params)
  state.events.emit('list', 'GetCallDetailRecord', params)
  takeFault(state, `contact:${params.ContactId}`)
  if (!call) throw new RpcError(404, 'NotExist.Record', `The contact ${params.ContactId} does not exist.`)
  const { SatisfactionIndex, ...view } = recordView(state, call)
  return { ...OK, Data: { ...view, Satisfaction: SatisfactionIndex } }
}

/** A presigned URL for an object, with the faults and the lifetime DownloadRecording has. */
function urlFor(state: SimState, objectName: string, ttlSeconds: number): string {
  bump(state.stats.downloadRecordingCalls, objectName)
  state.events.emit('resolve', objectName)
  const fault = state.faults.take(objectName, API_FAULTS)
  if (fault && fault.kind !== 'expire-url') throw apiFault(fault)
  if (!state.objects.exists(objectName)) throw noRecording(objectName)
  const nowSeconds = Math.floor(state.now() / 1000)
  return presignedUrl(state, objectName, fault?.kind === 'expire-url' ? nowSeconds - 60 : nowSeconds + ttlSeconds)
}

function mixed(ctx: ActionContext, ext: 'wav' | 'mkv', ttlSeconds: number): Record<string, unknown> {
  const call = contactOf(ctx.state, ctx.params)
  const id = ctx.params.ContactId ?? ''
  if (!call || call.notReady || call.recordings.length === 0) throw noRecording(id)
  const name = `${id}.${ext}`
  return { ...OK, Data: { FileUrl: urlFor(ctx.state, name, ttlSeconds), FileName: name, Duration: call.duration } }
}

export function getMonoRecording(ctx: ActionContext): Record<string, unknown> {
  const raw = ctx.params.ExpireSeconds
  const ttl = raw === undefined || raw === '' ? ctx.state.urlTtlSeconds : integer(ctx.params, 'ExpireSeconds')
  if (ttl < 1) throw v2Error('Parameter.Minimum', 'ExpireSeconds', '1')
  if (ttl > 86_400) throw invalid('The parameter ExpireSeconds must be between 1 and 86400.')
  return mixed(ctx, 'wav', ttl)
}

export function getMultiChannelRecording(ctx: ActionContext): Record<string, unknown> {
  return mixed(ctx, 'mkv', ctx.state.urlTtlSeconds)
}

export function listMonoRecordings({ state, params }: ActionContext): Record<string, unknown> {
  const call = contactOf(state, params)
  state.events.emit('list', 'ListMonoRecordings', params)
  takeFault(state, `contact:${params.ContactId}`)
  if (!call || call.notReady) return { ...OK, Data: [] }
  const data = call.recordings.map((fileName, i) => ({
    ContactId: call.contactId,
    FileName: fileName,
    FileUrl: urlFor(state, fileName, state.urlTtlSeconds),
    AgentId: `${call.agentName}@sim`,
    AgentName: call.agentName,
    SkillGroupId: 'default@sim',
    RamId: '1234567890',
    StartTime: String(call.startTime + i * TRANSFER_GAP_MS),
    Duration: String(Math.max(1, Math.floor(call.duration / call.recordings.length)) * 1000),
  }))
  return { ...OK, Data: data }
}
