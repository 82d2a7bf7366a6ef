import { API_V1, API_V2, type ApiVersion, DEFAULT_RECORDING_KIND, isApiVersion, isRecordingKind, RECORDING_KINDS } from '../common/api-version.ts'
import { looksLikeV2ContactName } from '../engine/ccc/v2/names.ts'
import type { SourceInfo } from '../engine/export/journal-events.ts'
import { UsageError } from './exit-codes.ts'

/** `--api-version`, then the profile's, then 1.0 (profiles from before 2.0 say nothing). */
export function apiVersionOf(flag: string | undefined, profile: string | undefined): ApiVersion {
  const chosen = flag ?? profile ?? API_V1
  if (!isApiVersion(chosen)) throw new UsageError(`--api-version must be ${API_V1} (CCC 1.0) or ${API_V2} (CCC 2.0), not "${chosen}"`)
  return chosen
}

/**
 * The source as a 2.0 export journals it: its generation and recording kind. A 1.0 source is left
 * as it was, so its journal reads exactly as before.
 */
export function withApi(source: SourceInfo, api: ApiVersion, recording: string | undefined): SourceInfo {
  if (api === API_V1) {
    if (recording !== undefined) throw new UsageError(`--recording is for CCC 2.0 (--api-version ${API_V2}); a CCC 1.0 recording is one file per leg already`)
    return source
  }
  const kind = recording ?? DEFAULT_RECORDING_KIND
  if (!isRecordingKind(kind)) throw new UsageError(`--recording must be one of ${RECORDING_KINDS.join(', ')}, not "${kind}"`)
  // As the app's sourceForApi: a names list journals mono whatever was asked, so a kind asked for
  // here would be recorded but not fetched.
  if (source.kind === 'names' && kind !== DEFAULT_RECORDING_KIND) {
    throw new UsageError(
      `--recording ${kind} does not go with a names list: a names list names its files, so each name says which recording it is ` +
        '(<contactId>.wav mixed, <contactId>.mkv one track per party); --recording applies to date ranges (--from/--to) and contact IDs (--contacts)',
    )
  }
  return { ...source, api, recording: kind }
}

/**
 * A file-name list is a 1.0 notion: 2.0 finds a recording by contact ID. A list whose every name
 * is `<contactId>.wav` (mixed, GetMonoRecording) or `<contactId>.mkv` (GetMultiChannelRecording)
 * is used as such (a contact ID is job-<digits>); any other list is refused with what to do instead.
 */
export function checkV2Names(names: readonly string[]): void {
  const bad = names.find((n) => !looksLikeV2ContactName(n))
  if (bad === undefined) return
  throw new UsageError(
    `"${bad}" is a CCC 1.0 file name; a CCC 2.0 instance finds recordings by contact ID. ` +
      'Export the contact IDs (the console\'s call records, column 通话ID / Contact ID) and pass them with --contacts, ' +
      'or download a date range with --from/--to; a list of <contactId>.wav (mixed) or <contactId>.mkv (one track per party) names is used as such',
  )
}
