import { RpcError } from './rpc-types.ts'

/**
 * The errors the 2020-07-01 actions document beyond the gateway's (ccc-api.md §7; the error
 * tables of GetMonoRecording, ListMonoRecordings, GetCallDetailRecord, ListBriefSkillGroups…):
 * status and message as documented, `%s` filled with the parameter. The simulator raises them
 * itself where its checks call for one, and on demand with the `api-v2-error` fault.
 */
export const V2_ERRORS = {
  'Parameter.Blank': { status: 400, message: 'The parameter %s may not be null or blank.' },
  'Parameter.Empty': { status: 400, message: 'The parameter %s may not be null or empty.' },
  'Parameter.Null': { status: 400, message: 'The parameter %s may not be null.' },
  'Parameter.Minimum': { status: 400, message: 'The parameter %s must be greater than or equal to %s.' },
  'Parameter.Format': { status: 400, message: 'The format of parameter %s is invalid. %s' },
  'NotExists.InstanceId': { status: 404, message: 'The specified instance %s does not exist.' },
} as const

export type V2ErrorCode = keyof typeof V2_ERRORS

export function isV2ErrorCode(code: string | undefined): code is V2ErrorCode {
  return code !== undefined && Object.hasOwn(V2_ERRORS, code)
}

export function v2Error(code: V2ErrorCode, ...args: string[]): RpcError {
  const { status, message } = V2_ERRORS[code]
  let i = 0
  return new RpcError(status, code, message.replace(/%s/g, () => args[i++] ?? ''))
}
