import { apiFault } from './download-recording.ts'
import { API_FAULTS } from './faults.ts'
import { calledNumber, callingNumber, recordingObjects, type SimCall } from './calls.ts'
import { RpcError, missing, throttling, type ActionContext, unknownInstance } from './rpc-types.ts'
import type { SimState } from './state.ts'

/**
 * ListRecordingsByContactId and ListCallDetailRecords (ccc-api.md §3), answered from the calls
 * tests seed with Sim.addCall. Choices where the documents are silent, made to be at least as
 * hard on a client as the real service may be:
 * - a time range over 7 days, a PageSize over 100 or a malformed number: 400 `Parameter.Invalid`;
 * - StartTime and StopTime are both inclusive, so a call exactly on the boundary of two
 *   consecutive windows is returned for both (the client must not add it twice);
 * - TotalCount only on page 1 (absent on later pages);
 * - an empty list is an object without its array key (`{"Recordings":{}}`), as POP's JSON
 *   renders an empty XML list;
 * - OrderBy DESC (newest first) unless ASC is asked for; ties by contact ID;
 * - WithRecording (default true) false leaves each call's Recordings out.
 * Faults (Sim.fault) apply under the names `contact:<ContactId>` and `ListCallDetailRecords`.
 */

export const MAX_RANGE_MS = 7 * 24 * 60 * 60 * 1000
const MAX_PAGE_SIZE = 100

export function invalid(message: string): RpcError {
  return new RpcError(400, 'Parameter.Invalid', message)
}

export function checkInstance(state: SimState, params: Readonly<Record<string, string>>): void {
  const instanceId = params.InstanceId
  if (!instanceId) throw missing('InstanceId')
  if (instanceId !== state.instanceId) throw unknownInstance(params.Version, instanceId)
}

export function takeFault(state: SimState, key: string): void {
  const fault = state.faults.take(key, API_FAULTS)
  // expire-url is for the URL actions; a listing has no URL to age.
  if (fault && fault.kind !== 'expire-url') throw apiFault(fault)
}

function wrapped(key: string, items: readonly unknown[]): Record<string, unknown> {
  return items.length === 0 ? {} : { [key]: items }
}

const OK = { Success: true, Code: 'OK', Message: '', HttpStatusCode: 200 }

export function listRecordingsByContactId({ state, params }: ActionContext): Record<string, unknown> {
  checkInstance(state, params)
  const contactId = params.ContactId
  if (!contactId) throw missing('ContactId')
  state.events.emit('list', 'ListRecordingsByContactId', params)
  takeFault(state, `contact:${contactId}`)
  const call = state.calls.get(contactId)
  return { ...OK, Recordings: wrapped('Recording', call ? recordingObjects(call) : []) }
}

export function integer(params: Readonly<Record<string, string>>, name: string, fallback?: number): number {
  const raw = params[name]
  if (raw === undefined || raw === '') {
    if (fallback === undefined) throw missing(name)
    return fallback
  }
  if (!/^\d{1,15}$/.test(raw)) throw invalid(`The parameter ${name} is invalid: ${raw}`)
  return Number(raw)
}

export function listCallDetailRecords({ state, params }: ActionContext): Record<string, unknown> {
  checkInstance(state, params)
  const start = integer(params, 'StartTime')
  const stop = integer(params, 'StopTime')
  const pageNumber = integer(params, 'PageNumber', 1)
  const pageSize = integer(params, 'PageSize', 10)
  if (stop < start) throw invalid('The parameter StopTime must not be earlier than StartTime.')
  if (stop - start > MAX_RANGE_MS) throw invalid('The time range between StartTime and StopTime cannot exceed 7 days.')
  if (pageNumber < 1) throw invalid(`The parameter PageNumber is invalid: ${pageNumber}`)
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw invalid(`The parameter PageSize must be between 1 and ${MAX_PAGE_SIZE}.`)
  state.events.emit('list', 'ListCallDetailRecords', params)
  takeFault(state, 'ListCallDetailRecords')

  const phone = params.PhoneNumber
  const matches = (c: SimCall) =>
    c.startTime >= start &&
    c.startTime <= stop &&
    (!phone || callingNumber(c) === phone || calledNumber(c) === phone) &&
    (!params.ContactType || c.contactType === params.ContactType) &&
    (!params.ContactDisposition || c.disposition === params.ContactDisposition) &&
    (!params.ContactId || c.contactId === params.ContactId)
  const found = state.calls.all().filter(matches)
  if (params.OrderBy?.toUpperCase() !== 'ASC') found.reverse()
  const withRecording = params.WithRecording?.toLowerCase() !== 'false'
  const page = found.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((c) => ({
    ContactId: c.contactId,
    StartTime: c.startTime,
    Duration: c.duration,
    ContactType: c.contactType,
    ContactDisposition: c.disposition,
    CallingNumber: callingNumber(c),
    CalledNumber: calledNumber(c),
    AgentNames: c.agentName,
    SkillGroupNames: 'default',
    InstanceId: state.instanceId,
    ...(withRecording ? { Recordings: wrapped('Recording', recordingObjects(c)) } : {}),
  }))
  return {
    ...OK,
    CallDetailRecords: {
      // Filled on page 1 only, as the real service does.
      ...(pageNumber === 1 ? { TotalCount: found.length } : {}),
      PageNumber: pageNumber,
      PageSize: pageSize,
      List: wrapped('CallDetailRecord', page),
    },
  }
}
