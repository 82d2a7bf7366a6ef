import {
  CONNECTION_OUTCOME_TEXT,
  type ConnectionOutcome,
  type ConnectionOutcomeKind,
} from '../../common/connection-outcomes.ts'
import { API_V1, API_V2, type ApiVersion } from '../../common/api-version.ts'
import { isAbortError, isCccError } from '../../common/errors.ts'
import { redact } from '../../common/redact.ts'
import type { CallOptions } from '../ccc/client.ts'
import type { RpcCaller } from '../ccc/list-shape.ts'
import { listCallRecordsV2 } from '../ccc/v2/call-records.ts'

/**
 * A name no recording has. Asking for it exercises everything a real download needs: CCC checks
 * the AccessKey, the signature, the clock, the permission, the instance and OSS before it looks for
 * the file, so "recording does not exist" means all of those are fine.
 */
export const PROBE_FILE_NAME = 'ccc-recordings-connection-test.wav'

/** What the test needs of the CCC client (CccClient has it): one call of either generation. */
export interface ConnectionProbe extends RpcCaller {
  downloadRecording(instanceId: string, fileName: string, options?: CallOptions): Promise<unknown>
}

export interface ConnectionTestOptions {
  readonly signal?: AbortSignal
  /** Another probe name; the default is right for real use. */
  readonly fileName?: string
  /**
   * The profile's generation, probed first. Absent (a profile from before 2.0) counts as 1.0,
   * as everywhere else; either way the other generation is probed when this one does not know
   * the instance, so the outcome can say which one the instance is.
   */
  readonly apiVersion?: ApiVersion
  /** For the 2.0 probe's window; the real clock by default. */
  readonly now?: () => number
}

/** The outcome a CCC or transport error code stands for in a connection test. */
export function outcomeKindFor(code: string, status?: number): ConnectionOutcomeKind {
  if (code === 'NotExist.Record') return 'ok'
  // A GenerationAwareClient's verdict: the other generation knows the instance.
  if (code === 'Api.InstanceIsV2') return 'instance-is-v2'
  if (code === 'Api.InstanceIsV1') return 'instance-is-v1'
  if (code.startsWith('InvalidAccessKeyId')) return 'access-key-id-unknown'
  if (code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature') return 'secret-wrong'
  if (code === 'NoPermission' || code.startsWith('Forbidden')) return 'no-permission'
  if (code.startsWith('InvalidTimeStamp')) return 'clock-skew'
  if (code === 'OssNotOpen') return 'oss-not-open'
  if (code.startsWith('InvalidSecurityToken') || code === 'MissingSecurityToken') return 'security-token-invalid'
  // A proxy that wants credentials, or a sign-in portal's page, is the way to CCC not yet open.
  if (code === 'Network' || code === 'Timeout' || code === 'Network.ProxyAuth' || code === 'Api.NotJson') return 'network'
  // A wrong region's host, or an endpoint override that is no CCC gateway, answers 404 without
  // a CCC code; the gateway itself says InvalidAction.NotFound for a product it does not serve.
  if (code === 'NotExist.Instance' || code === 'NotExists.InstanceId' || code.startsWith('InvalidRegionId') || code === 'InvalidAction.NotFound') {
    return 'instance-or-region-wrong'
  }
  if (code === 'Api.WrongEndpoint') return 'instance-or-region-wrong'
  return 'other'
}

function outcome(kind: ConnectionOutcomeKind, extra: Omit<ConnectionOutcome, 'kind' | 'ok' | 'message' | 'action'> = {}): ConnectionOutcome {
  const text = CONNECTION_OUTCOME_TEXT[kind]
  return { kind, ok: kind === 'ok', message: text.message, action: text.action, ...extra }
}

/**
 * The probe of each generation: a cheap read call every export of that generation makes anyway,
 * so a least-privilege RAM policy that lets the user export lets the test pass (ccc-api.md §7):
 * - 2017-07-05: DownloadRecording of a name no recording has. CCC checks the key, the signature,
 *   the clock, the permission, the instance and OSS before it looks for the file.
 * - 2020-07-01: ListCallDetailRecords, one row of the last minute: what a date-range export
 *   calls first. Not GetInstance or ListSkillGroups: an export never needs them (a policy made
 *   for exporting may lack them), and GetInstance answers with the admins' e-mails and mobiles.
 * Either reply is dropped unread: a URL is a credential for an hour, a row is personal data.
 */
async function probe(client: ConnectionProbe, instanceId: string, version: ApiVersion, options: ConnectionTestOptions): Promise<void> {
  const signal = options.signal ? { signal: options.signal } : {}
  if (version === API_V1) {
    await client.downloadRecording(instanceId, options.fileName ?? PROBE_FILE_NAME, { ...signal, version })
    return
  }
  const end = (options.now ?? Date.now)()
  await listCallRecordsV2(client, instanceId, { startTime: end - 60_000, endTime: end, pageNumber: 1, pageSize: 1 }, signal)
}

/** One generation's probe read as a diagnosis; the outcome names the generation when it reached the instance. */
async function probeOutcome(client: ConnectionProbe, instanceId: string, version: ApiVersion, options: ConnectionTestOptions): Promise<ConnectionOutcome> {
  try {
    await probe(client, instanceId, version, options)
    return outcome('ok', { apiVersion: version })
  } catch (e) {
    if (options.signal?.aborted || isAbortError(e)) throw e
    if (!isCccError(e)) return outcome('other', { detail: detailOf(e instanceof Error ? e.message : String(e)) })
    const kind = outcomeKindFor(e.code, e.status)
    // Past the instance check: whatever failed, this generation knows the instance; or the
    // client found that the other one does.
    const reached = kind === 'ok' || kind === 'oss-not-open' ? version : kind === 'instance-is-v2' ? API_V2 : kind === 'instance-is-v1' ? API_V1 : undefined
    return outcome(kind, {
      code: e.code,
      ...(e.status === undefined ? {} : { status: e.status }),
      ...(e.requestId === undefined ? {} : { requestId: e.requestId }),
      ...(kind === 'ok' ? {} : { detail: detailOf(e.message) }),
      ...(reached ? { apiVersion: reached } : {}),
    })
  }
}

/**
 * The profile's generation's probe, then, when that generation does not know the instance, the
 * other's: an instance of the other generation is told as such (instance-is-v2 / -v1, with the
 * catalog's Api.InstanceIsV2 / V1 text), with `apiVersion` set for the form to offer. Never
 * throws for a failed test (that is an outcome); only an abort propagates.
 */
export async function testConnection(client: ConnectionProbe, instanceId: string, options: ConnectionTestOptions = {}): Promise<ConnectionOutcome> {
  const first = options.apiVersion ?? API_V1
  const own = await probeOutcome(client, instanceId, first, options)
  if (own.kind !== 'instance-or-region-wrong') return own
  const other = first === API_V1 ? API_V2 : API_V1
  const theirs = await probeOutcome(client, instanceId, other, options)
  // Only an answer from past the instance check tells anything (a RAM refusal comes before it):
  // otherwise the profile's generation's own words, a wrong instance ID or region, stand.
  if (theirs.apiVersion === undefined) return own
  if (!theirs.ok) return theirs
  const kind = other === API_V2 ? 'instance-is-v2' : 'instance-is-v1'
  return outcome(kind, { code: other === API_V2 ? 'Api.InstanceIsV2' : 'Api.InstanceIsV1', apiVersion: other, ...(own.detail ? { detail: own.detail } : {}) })
}

/**
 * The gateway's SignatureDoesNotMatch message quotes its whole string-to-sign, where a security
 * token sits percent-encoded twice, out of redact()'s reach: that part never helps a user anyway.
 */
function detailOf(message: string): string {
  return redact(message.replace(/\s*server string to sign is:.*$/is, ''))
}

/**
 * Whether the generation knows the instance (a GenerationAwareClient asks this): true when its
 * probe gets past the instance check, false when it says the instance does not exist, undefined
 * when it says nothing either way (the network, a refusal that comes before the instance check).
 */
export async function reachesInstance(client: ConnectionProbe, instanceId: string, version: ApiVersion, signal?: AbortSignal): Promise<boolean | undefined> {
  const found = await probeOutcome(client, instanceId, version, signal ? { signal } : {})
  if (found.apiVersion === version) return true
  return found.kind === 'instance-or-region-wrong' ? false : undefined
}
