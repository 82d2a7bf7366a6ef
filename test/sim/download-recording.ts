import { presignedUrl } from './oss-url.ts'
import { API_FAULTS } from './faults.ts'
import { RpcError, missing, throttling, type ActionContext } from './rpc-types.ts'
import type { SimFault } from './types.ts'
import { isV2ErrorCode, v2Error } from './v2-errors.ts'

/** DownloadRecording (ccc-api.md §3): a presigned OSS URL for one recording file. */
export function downloadRecording({ state, params }: ActionContext): Record<string, unknown> {
  const instanceId = params.InstanceId
  const fileName = params.FileName
  if (!instanceId) throw missing('InstanceId')
  if (!fileName) throw missing('FileName')
  if (instanceId !== state.instanceId) {
    throw new RpcError(404, 'NotExist.Instance', `The specified instance ${instanceId} does not exist.`)
  }
  if (!state.flags.ossOpen) throw new RpcError(404, 'OssNotOpen', 'OSS service is not opened for the instance.')

  const fault = state.faults.take(fileName, API_FAULTS)
  if (fault && fault.kind !== 'expire-url') throw apiFault(fault)
  if (!state.objects.exists(fileName)) {
    throw new RpcError(404, 'NotExist.Record', `The specified recording ${fileName} does not exist.`)
  }

  const nowSeconds = Math.floor(state.now() / 1000)
  const expires = fault?.kind === 'expire-url' ? nowSeconds - 60 : nowSeconds + state.urlTtlSeconds
  const url = presignedUrl(state, fileName, expires)
  return {
    Success: true,
    Code: 'OK',
    Message: '',
    HttpStatusCode: 200,
    MediaDownloadParam: {
      // The real API wraps the URL in an extra pair of double quotes (ccc-api.md §3).
      SignatureUrl: state.flags.quoteSignatureUrl ? `"${url}"` : url,
      FileName: fileName,
    },
  }
}

/** The error reply an API fault stands for; shared by every action that takes faults. */
export function apiFault(fault: SimFault): RpcError {
  switch (fault.kind) {
    case 'api-v2-error':
      return v2Error(isV2ErrorCode(fault.code) ? fault.code : 'Parameter.Blank', 'ContactId', '1')
    case 'throttle':
      return throttling(fault.code)
    case 'api-hostile':
      return new RpcError(fault.status ?? 400, fault.code ?? 'Hostile', fault.message ?? '', fault.messageBytes)
    case 'api-unavailable':
      return new RpcError(503, fault.code ?? 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.')
    default:
      return new RpcError(
        500,
        fault.code ?? 'InternalError',
        'The request processing has failed due to some unknown error, exception or failure.',
      )
  }
}
