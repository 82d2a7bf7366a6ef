import { isCccError } from '../../common/errors.ts'
import { withApiRetry } from './api-retry.ts'
import { Found, type ListingContext, Steps } from './listing-step.ts'

/**
 * Contact IDs looked up a few at a time, for either API generation: each chunk's recordings go to
 * the export and a cursor past it to the journal before the next, so a killed export resumes at
 * the first contact not settled. What the lookup is, and what its answer holds, is the generation's.
 */

/** A contact looked up: its answer, or why the service refused it (a reason for its skipped row). */
export type Settled<T> = { readonly id: string; readonly value: T } | { readonly id: string; readonly refused: string }

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

export const contactNote = (contactId: string): string => `contact/${contactId}`

export async function walkContacts<T>(ctx: ListingContext, lookups: ContactLookups<T>): Promise<void> {
  const ids = ctx.state.contacts
  const saved = ctx.state.next
  let i = saved && 'contact' in saved ? saved.contact : 0
  const steps = new Steps(ctx)
  while (i < ids.length) {
    const chunk = ids.slice(i, i + lookups.width)
    // Looked up together, taken in order: the cursor only ever passes contacts that are settled.
    const answers = await Promise.all(
      chunk.map(
        (id): Promise<Lookup<T>> =>
          withApiRetry(ctx.api, (signal) => lookups.lookup(id, signal), ctx.signal).then(
            (value) => ({ id, value }),
            (error: unknown) => ({ id, error }),
          ),
      ),
    )
    const settled: Settled<T>[] = []
    let stopWith: unknown
    for (const answer of answers) {
      if (!('error' in answer)) {
        settled.push(answer)
        continue
      }
      const e = answer.error
      // One contact the service refuses (a malformed ID, say) is that contact's problem: it is
      // reported and the rest go on. Anything else (an abort, a fatal code, a service that kept
      // failing after every retry) stops the listing here, to be resumed at this contact.
      if (!isCccError(e) || ctx.signal.aborted || e.fatal || e.retryable || e.handling === 'pause') {
        stopWith = e
        break
      }
      settled.push({ id: answer.id, refused: `${lookups.action} failed for contact ${answer.id}: ${e.code}: ${e.message}` })
    }
    const found = new Found(ctx)
    await lookups.take(settled, found)
    i += settled.length
    if (settled.length > 0) await steps.commit({ contact: i }, settled.length, found)
    if (stopWith !== undefined) throw stopWith
  }
}
