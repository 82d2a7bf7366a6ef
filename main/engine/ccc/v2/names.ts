/**
 * What a 2.0 export calls its recordings (issue 14 item 3). The runner and the journal know a
 * recording by a name only; 2.0 finds one by contact ID, so the name carries it:
 * - mono: `<contactId>.wav` (GetMonoRecording), multichannel: `<contactId>.mkv`
 *   (GetMultiChannelRecording), so a names list of `<contactId>.<ext>` lines can serve as is;
 * - per-agent: ListMonoRecordings' own FileName, unique per leg. Its contact ID is remembered
 *   when the listing sees the leg, and after a restart (nothing remembered) read from the name,
 *   which the API documents as `<contactId>-<uuid>-<ms>.wav` (SDK example
 *   `job-25920271311543****-798f1e90-…-1656926518491.wav`). Not `<contactId>/<fileName>`: a `/`
 *   in a name becomes `_` plus a hash in the local file name (naming/local-namer.ts).
 */

const CONTACT_NAME = /^([A-Za-z0-9][A-Za-z0-9_-]*)\.(wav|mkv)$/i
/** The contact ID at the head of a per-agent FileName: 2.0 contact IDs are `job-<digits>`. */
const LEG_PREFIX = /^(job-\d+)-/

export function monoName(contactId: string): string {
  return `${contactId}.wav`
}

export function multiChannelName(contactId: string): string {
  return `${contactId}.mkv`
}

/**
 * A contact ID as 2.0 writes it (`job-` and digits in every SDK example). A names list must match
 * it to be taken as contact IDs: a 1.0 file name (`20260305-1234567.wav`) would pass the general
 * form and then fail on every file.
 */
export const V2_CONTACT_ID = /^job-\d+$/

export function looksLikeV2ContactName(name: string): boolean {
  const parsed = parseContactName(name)
  return parsed !== undefined && V2_CONTACT_ID.test(parsed.contactId)
}

/** `<contactId>.wav` or `.mkv` → its contact ID and extension; undefined for any other name. */
export function parseContactName(name: string): { contactId: string; ext: 'wav' | 'mkv' } | undefined {
  const m = CONTACT_NAME.exec(name)
  if (!m) return undefined
  return { contactId: m[1]!, ext: m[2]!.toLowerCase() as 'wav' | 'mkv' }
}

// Bounded: a per-agent export of a million legs must not hold a million strings here. Past the
// bound the oldest are forgotten, and the name's prefix serves (as after a restart).
const MAX_REMEMBERED = 200_000
const legContacts = new Map<string, string>()

export function rememberLeg(fileName: string, contactId: string): void {
  if (legContacts.size >= MAX_REMEMBERED) {
    const oldest = legContacts.keys().next().value
    if (oldest !== undefined) legContacts.delete(oldest)
  }
  legContacts.set(fileName, contactId)
}

/** The contact ID of a per-agent leg's file name, or undefined when it cannot be told. */
export function legContactId(fileName: string): string | undefined {
  return legContacts.get(fileName) ?? LEG_PREFIX.exec(fileName)?.[1]
}
