import { API_V2, type ApiVersion, DEFAULT_RECORDING_KIND, type RecordingKind } from '../../../common/api-version.ts'
import { CccError } from '../../../common/errors.ts'
import type { SourceInfo } from '../../export/journal-events.ts'
import { looksLikeV2ContactName } from './names.ts'

/**
 * An export's source as its profile's generation journals it (issue 14 items 2 and 3), for the
 * app as the CLI's api-choice.ts does for a terminal. A 1.0 source is left as it was. For 2.0:
 * contact IDs and a date range take the recording kind (mono unless chosen); a file-name list is
 * a 1.0 notion and is refused (Api.V1NamesOnV2, with how to export contact IDs) unless every name
 * is `<contactId>.wav` (the mixed recording) or `.mkv` (one track per party), used as such.
 */
export function sourceForApi(source: SourceInfo, api: ApiVersion | undefined, recording: RecordingKind | undefined, names: readonly string[]): SourceInfo {
  if (api !== API_V2) return source
  if (source.kind !== 'names') return { ...source, api, recording: recording ?? DEFAULT_RECORDING_KIND }
  const bad = names.find((n) => !looksLikeV2ContactName(n))
  if (bad !== undefined) {
    throw new CccError({
      code: 'Api.V1NamesOnV2',
      message: `"${bad}" is a CCC 1.0 file name; a CCC 2.0 instance finds recordings by contact ID: export the contact IDs (call records, column 通话ID / Contact ID) or download a date range`,
    })
  }
  // Each name's extension says which recording it is; per-agent legs need a listing, not names.
  return { ...source, api, recording: DEFAULT_RECORDING_KIND }
}

/** True when a names list can serve a 2.0 export as it is (every name `<contactId>.wav|.mkv`). */
export function namesAreContactIds(names: readonly string[]): boolean {
  return names.length > 0 && names.every(looksLikeV2ContactName)
}
