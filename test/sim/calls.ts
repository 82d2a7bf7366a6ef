/**
 * The calls the listing actions answer from (ccc-api.md §3): seeded by tests with Sim.addCall.
 * A call's recordings are file names the OSS side serves like any other; a call with transfers
 * has several, each starting a little later than the one before.
 */

export interface SimCallInput {
  contactId: string
  /** Epoch ms. */
  startTime: number
  /** File names, in order; empty for a call that was not recorded. */
  recordings: readonly string[]
  /** The customer's number: the calling number of an inbound call, the called one otherwise. */
  phone?: string
  /** 'Inbound' (default), 'Outbound' or 'Internal'. */
  contactType?: string
  /** 'Success' (default), 'NoAnswer', 'Abandoned', … */
  disposition?: string
  /** Seconds; default 60. */
  duration?: number
  agentName?: string
  /** 2.0: RecordingReady false (the recording is not written yet); its recording is not served. */
  notReady?: boolean
}

export interface SimCall extends Required<Omit<SimCallInput, 'phone' | 'agentName'>> {
  phone: string
  agentName: string
  /** The number of the line the customer called or was called from. */
  serviceNumber: string
}

/** Each transfer's recording starts this much after the previous one. */
export const TRANSFER_GAP_MS = 30_000

export class CallBook {
  private readonly calls: SimCall[] = []
  private readonly byContact = new Map<string, SimCall>()
  private sorted = true

  add(input: SimCallInput): void {
    if (this.byContact.has(input.contactId)) throw new Error(`sim: contact ${input.contactId} already added`)
    const call: SimCall = {
      contactId: input.contactId,
      startTime: input.startTime,
      recordings: [...input.recordings],
      phone: input.phone ?? `1380000${String(this.calls.length % 10000).padStart(4, '0')}`,
      contactType: input.contactType ?? 'Inbound',
      disposition: input.disposition ?? 'Success',
      duration: input.duration ?? 60,
      agentName: input.agentName ?? 'agent-1',
      notReady: input.notReady ?? false,
      serviceNumber: '02150000000',
    }
    this.calls.push(call)
    this.byContact.set(call.contactId, call)
    this.sorted = false
  }

  get(contactId: string): SimCall | undefined {
    return this.byContact.get(contactId)
  }

  /** Ascending by start time, contact ID breaking ties, so that pages never overlap. */
  all(): readonly SimCall[] {
    if (!this.sorted) {
      this.calls.sort((a, b) => a.startTime - b.startTime || (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0))
      this.sorted = true
    }
    return this.calls
  }
}

export function callingNumber(call: SimCall): string {
  return call.contactType === 'Inbound' ? call.phone : call.serviceNumber
}

export function calledNumber(call: SimCall): string {
  return call.contactType === 'Inbound' ? call.serviceNumber : call.phone
}

/** The `Recording` objects of a call, as both listing actions render them. */
export function recordingObjects(call: SimCall): Record<string, unknown>[] {
  return call.recordings.map((fileName, i) => ({
    ContactId: call.contactId,
    ContactType: call.contactType,
    AgentId: `${call.agentName}@sim`,
    AgentName: call.agentName,
    CallingNumber: callingNumber(call),
    CalledNumber: calledNumber(call),
    StartTime: call.startTime + i * TRANSFER_GAP_MS,
    Duration: Math.max(1, Math.floor(call.duration / call.recordings.length)),
    FileName: fileName,
    FileDescription: i === 0 ? 'first leg' : `after transfer ${i}`,
    QualityCheckTid: '',
    QualityCheckTaskId: '',
  }))
}
