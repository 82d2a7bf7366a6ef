/**
 * FNV-1a over UTF-16 code units, with a final mix so that names differing only in their last
 * digits (as CCC names do) spread over the low bits used as a slot index. Shared by the import's
 * NameSet and the export table's NameTable (open-addressing tables over file names), and by the
 * page, which names a date range's folder with it: plain TS, so both sides can.
 */
export function hashName(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  return h >>> 0
}
