import { type Agent, compact, type RecordingMeta } from '../../calls/call.ts'
import type { CallRecordV2 } from './call-records.ts'
import type { RecordingLeg } from './recordings.ts'

const list = (s: string | undefined): string[] =>
  (s ?? '')
    .split(/[,，]/)
    .map((x) => x.trim())
    .filter(Boolean)

/** AgentIds and AgentNames are parallel comma-separated lists (ccc-api.md §7). */
function agentsOf(record: CallRecordV2): Agent[] {
  const ids = list(record.agentIds)
  const names = list(record.agentNames)
  return Array.from({ length: Math.max(ids.length, names.length) }, (_, i) => compact({ id: ids[i], name: names[i] }))
}

/** A 2.0 call's metadata in the call model; its mixed recording starts with the call. */
export function callMetaV2(record: CallRecordV2): RecordingMeta {
  const start = record.startTime ?? undefined
  const agents = agentsOf(record)
  return compact({
    contactId: record.contactId || undefined,
    callStart: start,
    callEnd: record.releaseTime ?? undefined,
    caller: record.callingNumber,
    callee: record.calledNumber,
    direction: record.contactType,
    disposition: record.contactDisposition,
    agents,
    skillGroups: list(record.skillGroupNames),
    callDuration: record.callDuration ?? undefined,
    satisfaction: record.satisfaction,
    // One agent: the mixed recording is theirs too, as a 1.0 recording names its agent.
    agentId: agents.length === 1 ? agents[0]!.id : undefined,
    agentName: agents.length === 1 ? agents[0]!.name : undefined,
    start: record.establishedTime ?? start,
    duration: record.recordingDuration ?? undefined,
  })
}

/** One per-agent leg: the call's metadata, the leg's agent, start and length. */
export function legMetaV2(record: CallRecordV2, leg: RecordingLeg): RecordingMeta {
  const { agentId: _id, agentName: _name, start: _start, duration: _duration, ...call } = callMetaV2(record)
  return compact({
    ...call,
    agentId: leg.agentId,
    agentName: leg.agentName,
    start: leg.startTime ?? undefined,
    duration: leg.durationMs === null ? undefined : Math.round(leg.durationMs / 1000),
  })
}
