import { recheckCount } from './disk-check.ts'
import type { ExportPlan } from './exports.ts'
import { laterEndWindow } from './listing-run.ts'
import { looksUpAgain } from './listing-step.ts'
import type { ExportRunner } from './runner.ts'

/**
 * What a plan asks of the export its folder holds, new or not: the names, contact IDs and range
 * it brings, and what asking again means (known names or a finished range again retry what
 * failed; a range again is listed again), told back as StartNotes.
 */

type PlanAsked = Pick<ExportPlan, 'names' | 'metas' | 'contactIds' | 'leftOut' | 'source'>

/** What `start` found, for the CLI to tell; the app does not need it. */
export interface StartNotes {
  readonly names: number
  /** Names asked for that the folder's export already had: verified ones are not fetched again. */
  readonly knownNames: number
  readonly contacts: number
  /** Contact IDs the folder's export had already, not listed again. */
  readonly knownContacts: number
  /** Contact IDs the folder's export had already, looked up again: their call's recording was not ready, or their lookup failed. */
  readonly contactsAgain?: number
  /** A finished date range was listed again for calls recorded since. */
  readonly relisted: boolean
  /** Failed files sent back to the queue, because the same list or range was asked for again. */
  readonly retried: number
  /** Names a filter left out last time, asked for now without it: downloaded after all. */
  readonly takenBack?: number
  /** Files the journal called verified but the disk did not have as journalled (downloaded again); only when there were. */
  readonly recheck?: { readonly missing: number; readonly changed: number }
  /** The folder's export names its files otherwise than the plan asked: how (its naming is kept). */
  readonly namingKept?: string
  /** Files of the folder's earlier lists, not in this one, still to do: this run downloads them too. */
  readonly earlierToDo?: number
}

const TO_DO: ReadonlySet<string> = new Set(['queued', 'resolving', 'downloading', 'paused', 'restoring'])

/** Adds what the plan asks for; asking for known names or a finished range again retries what failed. */
export function feedPlan(runner: ExportRunner, plan: PlanAsked): StartNotes {
  const names = plan.names ?? []
  const contacts = plan.contactIds ?? []
  // Before this list is added, every row still to do is an earlier list's, but those it names again.
  // Counted now, before a retry below moves failed rows back to the queue (it says so itself).
  const toDoBefore = names.length > 0 ? toDoOf(runner.table.counts) : 0
  const earlierToDo = toDoBefore > 0 ? toDoBefore - knownToDo(runner, names) : 0
  const knownNames = names.length > 0 ? names.length - runner.add(names, undefined, plan.metas) : 0
  for (const { name, reason } of plan.leftOut ?? []) runner.leaveOut(name, reason)
  const givenAgain = contacts.length > 0 ? contacts.length - runner.addContacts(contacts) : 0
  // Those whose call was not ready are looked up again (Ledger.addContacts): not "already in this export".
  const contactsAgain = givenAgain > 0 ? new Set(contacts.filter((id) => looksUpAgain(runner.table, id))).size : 0
  const knownContacts = givenAgain - contactsAgain
  // The same date range into the same folder again: calls recorded since are listed too.
  // A later end is listed to as well: from the start when the listing had finished (a relist), from
  // where it stands when it had not (the run continues it; nothing was listed again).
  const wasDone = runner.listingProgress()?.done === true
  const later = laterEndWindow(runner.header.source, runner.table.listing, plan.source)
  const relisted = later ? runner.relist(later) && wasDone : runner.relist()
  // Names the list's filter left out last time and asked for now: downloaded after all.
  const takenBack = knownNames > 0 ? runner.takeBack(names) : 0
  const retried = knownNames > 0 || givenAgain > 0 || relisted ? runner.retryGroup() : 0
  const recheck = recheckCount(runner.replay?.disk)
  return {
    names: names.length,
    knownNames,
    contacts: contacts.length,
    knownContacts,
    ...(contactsAgain > 0 ? { contactsAgain } : {}),
    relisted,
    retried,
    ...(takenBack > 0 ? { takenBack } : {}),
    ...(recheck.missing + recheck.changed > 0 ? { recheck } : {}),
    ...(earlierToDo > 0 ? { earlierToDo } : {}),
  }
}

function toDoOf(counts: ExportRunner['table']['counts']): number {
  return counts.queued + counts.resolving + counts.downloading + counts.paused + counts.restoring
}

/**
 * Of this list's names, those the folder has already and still to do (asked before the list is
 * added): the rest of what is to do is earlier lists', which a folder's export also downloads (a
 * short list into a folder a long one left unfinished fetches the rest too). Once per row,
 * whatever the list repeats; only when the folder has rows still to do at all.
 */
function knownToDo(runner: ExportRunner, names: readonly string[]): number {
  const { table } = runner
  const seen = new Uint8Array(table.size)
  let n = 0
  for (const name of names) {
    const entry = table.files.get(name)
    if (!entry || seen[entry.index]) continue
    seen[entry.index] = 1
    if (TO_DO.has(entry.state)) n++
  }
  return n
}
