import {
  CONNECTION_OUTCOME_TEXT,
  type ConnectionOutcome,
  type ConnectionOutcomeKind,
} from '../../common/connection-outcomes.ts'
import { isAbortError, isCccError } from '../../common/errors.ts'
import { redact } from '../../common/redact.ts'

/**
 * A name no recording has. Asking for it exercises everything a real download needs: CCC checks
 * the AccessKey, the signature, the clock, the permission, the instance and OSS before it looks for
 * the file, so "recording does not exist" means all of those are fine.
 */
export const PROBE_FILE_NAME = 'ccc-recordings-connection-test.wav'

/** The one thing the test needs of the CCC client (CccClient has it). */
export interface RecordingProbe {
  downloadRecording(instanceId: string, fileName: string, options?: { signal?: AbortSignal }): Promise<unknown>
}

export interface ConnectionTestOptions {
  readonly signal?: AbortSignal
  /** Another probe name; the default is right for real use. */
  readonly fileName?: string
}

/** The outcome a CCC or transport error code stands for in a connection test. */
export function outcomeKindFor(code: string, status?: number): ConnectionOutcomeKind {
  if (code === 'NotExist.Record') return 'ok'
  if (code.startsWith('InvalidAccessKeyId')) return 'access-key-id-unknown'
  if (code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature') return 'secret-wrong'
  if (code === 'NoPermission' || code.startsWith('Forbidden')) return 'no-permission'
  if (code.startsWith('InvalidTimeStamp')) return 'clock-skew'
  if (code === 'OssNotOpen') return 'oss-not-open'
  if (code.startsWith('InvalidSecurityToken') || code === 'MissingSecurityToken') return 'security-token-invalid'
  if (code === 'Network' || code === 'Timeout') return 'network'
  // A wrong region's host, or an endpoint override that is no CCC gateway, answers 404 without
  // a CCC code; the gateway itself says InvalidAction.NotFound for a product it does not serve.
  if (code === 'NotExist.Instance' || code.startsWith('InvalidRegionId') || code === 'InvalidAction.NotFound') {
    return 'instance-or-region-wrong'
  }
  if (code === 'Http.Unexpected' && status === 404) return 'instance-or-region-wrong'
  return 'other'
}

function outcome(kind: ConnectionOutcomeKind, extra: Omit<ConnectionOutcome, 'kind' | 'ok' | 'message' | 'action'> = {}): ConnectionOutcome {
  const text = CONNECTION_OUTCOME_TEXT[kind]
  return { kind, ok: kind === 'ok', message: text.message, action: text.action, ...extra }
}

/**
 * One signed DownloadRecording call for a file that does not exist, read as a diagnosis. Never
 * throws for a failed test (that is an outcome); only an abort propagates.
 */
export async function testConnection(
  client: RecordingProbe,
  instanceId: string,
  options: ConnectionTestOptions = {},
): Promise<ConnectionOutcome> {
  const fileName = options.fileName ?? PROBE_FILE_NAME
  try {
    // A reply with a URL is as good as NotExist.Record: the name happened to exist. The URL is
    // dropped unread: it is a credential for an hour.
    await client.downloadRecording(instanceId, fileName, options.signal ? { signal: options.signal } : {})
    return outcome('ok')
  } catch (e) {
    if (options.signal?.aborted || isAbortError(e)) throw e
    if (!isCccError(e)) return outcome('other', { detail: detailOf(e instanceof Error ? e.message : String(e)) })
    const kind = outcomeKindFor(e.code, e.status)
    return outcome(kind, {
      code: e.code,
      ...(e.status === undefined ? {} : { status: e.status }),
      ...(e.requestId === undefined ? {} : { requestId: e.requestId }),
      ...(kind === 'ok' ? {} : { detail: detailOf(e.message) }),
    })
  }
}

/**
 * The gateway's SignatureDoesNotMatch message quotes its whole string-to-sign, where a security
 * token sits percent-encoded twice, out of redact()'s reach: that part never helps a user anyway.
 */
function detailOf(message: string): string {
  return redact(message.replace(/\s*server string to sign is:.*$/is, ''))
}
