import type { ContactsEvent, JournalEvent, ListedEvent, ListingCursor } from './journal-events.ts'

/**
 * What the journal says of an export's listing: the contact IDs to look up, where the listing
 * goes on, and its counts. Part of the export table, so compaction keeps it.
 */
export class ListingState {
  readonly contacts: string[] = []
  private readonly known = new Set<string>()
  private last: ListedEvent | undefined

  get next(): ListingCursor | undefined {
    return this.last?.next
  }

  get pages(): number {
    return this.last?.pages ?? 0
  }

  get found(): number {
    return this.last?.found ?? 0
  }

  get unrecorded(): number {
    return this.last?.unrecorded ?? 0
  }

  /** IDs not seen before, in order; the caller journals them. */
  addContacts(ids: readonly string[]): string[] {
    const fresh: string[] = []
    for (const id of ids) {
      if (this.known.has(id)) continue
      this.known.add(id)
      this.contacts.push(id)
      fresh.push(id)
    }
    return fresh
  }

  apply(event: ContactsEvent | ListedEvent): void {
    if (event.type === 'contacts') this.addContacts(event.ids)
    else this.last = event
  }

  *compacted(): Generator<JournalEvent> {
    for (let i = 0; i < this.contacts.length; i += 1000) yield { type: 'contacts', ids: this.contacts.slice(i, i + 1000) }
    if (this.last) yield this.last
  }
}
