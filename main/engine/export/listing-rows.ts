/**
 * The rows a listing keeps that are not recordings: a call without one (or not ready yet), a
 * contact ID without one, or either whose lookup failed. A `/` keeps them apart from any
 * recording's name, which never holds one.
 */

export const callKey = (contactId: string): string => `call/${contactId}`

export const contactNote = (contactId: string): string => `contact/${contactId}`

/** A listing's own row, never a file to download: a retry looks it up again instead. */
export function isListingRow(name: string): boolean {
  return name.startsWith('contact/') || name.startsWith('call/')
}
