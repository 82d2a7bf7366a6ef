/**
 * CCC's two API generations (ccc-api.md §7): 2017-07-05 serves CCC 1.0 instances, 2020-07-01
 * serves CCC 2.0 ones (new instances, and 1.0 instances migrated since 2022). A profile and an
 * export's journal say which one they use; an old one that says nothing is 1.0.
 */
export const API_V1 = '2017-07-05'
export const API_V2 = '2020-07-01'
export const API_VERSIONS = [API_V1, API_V2] as const
export type ApiVersion = (typeof API_VERSIONS)[number]

export function isApiVersion(value: unknown): value is ApiVersion {
  return value === API_V1 || value === API_V2
}

/** How a 2.0 call's recording is fetched (issue 14 item 3). */
export const RECORDING_KINDS = ['mono', 'per-agent', 'multichannel'] as const
export type RecordingKind = (typeof RECORDING_KINDS)[number]
export const DEFAULT_RECORDING_KIND: RecordingKind = 'mono'

export function isRecordingKind(value: unknown): value is RecordingKind {
  return (RECORDING_KINDS as readonly unknown[]).includes(value)
}

/** For messages: "2020-07-01 (CCC 2.0)". */
export function describeApiVersion(version: ApiVersion): string {
  return version === API_V2 ? `${API_V2} (CCC 2.0)` : `${API_V1} (CCC 1.0)`
}
