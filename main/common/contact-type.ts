/** CCC's call types, as ListCallDetailRecords takes and returns them (`ContactType`, both generations). */
export const CONTACT_TYPES = ['Inbound', 'Outbound', 'Internal'] as const
export type ContactType = (typeof CONTACT_TYPES)[number]

/**
 * The type a user wrote, in CCC's spelling: CCC matches it exactly, so `inbound` would list nothing
 * and say nothing. Undefined for a word that is none of them.
 */
export function canonicalContactType(value: string): ContactType | undefined {
  const v = value.trim().toLowerCase()
  return CONTACT_TYPES.find((t) => t.toLowerCase() === v)
}
