import { type CccError, isCccError } from '../../common/errors.ts'
import { withApiRetry } from './api-retry.ts'
import { decide } from './decide.ts'
import type { ListedEvent, ListingCursor } from './journal-events.ts'
import { Found, type ListingContext, refusedAlone, Steps } from './listing-step.ts'
import type { ListingState } from './listing-state.ts'

/**
 * Contact IDs looked up a few at a time, for either API generation: each chunk's recordings go to
 * the export and a cursor past it to the journal before the next, so a killed export resumes at
 * the first contact not settled. What the lookup is, and what its answer holds, is the generation's.
 */

/** A contact looked up: its answer, or the service's refusal and the reason its failed row gives. */
export type Settled<T> = { readonly id: string; readonly value: T } | { readonly id: string; readonly refused: string; readonly error: CccError }

export interface ContactLookups<T> {
  /** The action, for the reason a refused contact's row gives. */
  readonly action: string
  /** Contacts looked up at once. */
  readonly width: number
  lookup(id: string, signal: AbortSignal): Promise<T>
  /** The settled contacts of a chunk, in order. */
  take(settled: readonly Settled<T>[], found: Found): Promise<void> | void
}

type Lookup<T> = { id: string; value: T } | { id: string; error: unknown }

export async function walkContacts<T>(ctx: ListingContext, lookups: ContactLookups<T>): Promise<void> {
  const ids = ctx.state.contacts
  const saved = ctx.state.next
  let i = saved && 'contact' in saved ? saved.contact : 0
  const again = saved && 'contact' in saved ? (saved.again ?? 0) : 0
  // Without a way to tell (a dry run never has `again`), a contact is looked up.
  const wanted = (at: number) => at >= again || ctx.awaitsRecording?.(ids[at]!) !== false
  const steps = new Steps(ctx)
  while (i < ids.length) {
    const chunk: { id: string; at: number }[] = []
    let end = i
    for (; end < ids.length && chunk.length < lookups.width; end++) if (wanted(end)) chunk.push({ id: ids[end]!, at: end })
    // Looked up together, taken in order: the cursor only ever passes contacts that are settled.
    const answers = await Promise.all(
      chunk.map(
        ({ id }): Promise<Lookup<T>> =>
          withApiRetry(ctx.api, (signal) => lookups.lookup(id, signal), ctx.signal).then(
            (value) => ({ id, value }),
            (error: unknown) => ({ id, error }),
          ),
      ),
    )
    const settled: Settled<T>[] = []
    let stopWith: unknown
    // Others of the chunk answered: the service is up, so one contact's error that outlasted its
    // retries (an InternalError on one record, say) is that contact's, not the service's.
    const serviceUp = answers.some((a) => !('error' in a))
    for (const answer of answers) {
      if (!('error' in answer)) {
        settled.push(answer)
        continue
      }
      // One contact the service refuses (a malformed ID, say) is that contact's problem: a failed
      // row, and the rest go on. Anything else (an abort, a fatal code, a service that kept
      // failing for the whole chunk) stops the listing here, to be resumed at this contact.
      const refused = refusedAlone(answer.error, ctx.signal) ?? (serviceUp ? outlasted(answer.error, ctx.signal) : undefined)
      if (!refused) {
        stopWith = answer.error
        break
      }
      settled.push({ id: answer.id, refused: `${lookups.action} failed for contact ${answer.id}: ${refused.code}: ${refused.message}`, error: refused })
    }
    const found = new Found(ctx)
    await lookups.take(settled, found)
    // Past what settled, and past the contacts not looked up again up to the first that did not settle.
    const next = settled.length === chunk.length ? end : chunk[settled.length]!.at
    if (next > i) await steps.commit(cursorAt(next, again), settled.length, found)
    if (stopWith !== undefined) throw stopWith
    i = next
  }
}

/** A passing kind of trouble that kept on after its retries: failed once all of them are spent. */
function outlasted(error: unknown, signal: AbortSignal): CccError | undefined {
  if (signal.aborted || !isCccError(error)) return undefined
  return decide(error, Number.POSITIVE_INFINITY).kind === 'fail' ? error : undefined
}

const cursorAt = (contact: number, again: number): ListingCursor => (contact < again ? { contact, again } : { contact })

/**
 * The step for contact IDs given again to an export that listed them (ccc-api.md §7: a call not
 * ready yet is picked up when asked for again), or for a retry of failed lookups: the cursor
 * moves back to the first contact `from` picks, and from there the walk looks up again those its
 * own test picks (`walked`, with `again` in the cursor); the counts give back what those will
 * count again (`unrecorded`: the ones counted as without a recording). Undefined when no contact
 * listed so far is picked (or all such are still ahead of the cursor).
 */
export function contactsAgainEvent(
  listing: ListingState,
  from: (contactId: string) => boolean,
  walked: (contactId: string) => boolean,
  unrecorded: (contactId: string) => boolean,
): ListedEvent | undefined {
  const next = listing.next
  const at = next && 'contact' in next ? next.contact : 0
  // A relist under way: the contacts up to its `again` were listed too.
  const listedTo = Math.max(at, next && 'contact' in next ? (next.again ?? 0) : 0)
  let first = -1
  for (let k = 0; k < at && first < 0; k++) if (from(listing.contacts[k]!)) first = k
  if (first < 0) return undefined
  let pages = 0
  let without = 0
  for (let k = first; k < at; k++) {
    const id = listing.contacts[k]!
    if (!walked(id)) continue
    pages++
    if (unrecorded(id)) without++
  }
  // Each was one contact answered; the walk counts again what it finds this time.
  return { type: 'listed', next: { contact: first, again: listedTo }, pages: Math.max(0, listing.pages - pages), found: listing.found, unrecorded: Math.max(0, listing.unrecorded - without) }
}
