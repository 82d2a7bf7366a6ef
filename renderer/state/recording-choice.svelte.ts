import { API_V2, DEFAULT_RECORDING_KIND, type RecordingKind } from '../../main/common/api-version.ts'
import { findProfile } from './profiles.svelte.ts'

/** The new-export screen's CCC 2.0 recording kind (issue 14 item 3): mono unless chosen. */
class RecordingChoice {
  kind = $state<RecordingKind>(DEFAULT_RECORDING_KIND)
}

export const recordingChoice = new RecordingChoice()

export function resetRecordingChoice(): void {
  recordingChoice.kind = DEFAULT_RECORDING_KIND
}

/** Whether the profile speaks 2020-07-01 (CCC 2.0); a profile that says nothing is 1.0. */
export function isV2Profile(name: string): boolean {
  return findProfile(name)?.apiVersion === API_V2
}

/**
 * What export:start gains: the kind, for a 2.0 profile's contact IDs or date range only. A names
 * list says by each extension which recording it is, and a 1.0 export has no kinds.
 */
export function recordingFor(profile: string, tab: string): { recording?: RecordingKind } {
  return isV2Profile(profile) && (tab === 'contacts' || tab === 'range') ? { recording: recordingChoice.kind } : {}
}
