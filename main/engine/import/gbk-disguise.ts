/**
 * Telling a short GBK file from UTF-8 when its bytes happen to be valid UTF-8 (decode.ts asks
 * this of the sample it judges): the UTF-8 reading of such bytes is mojibake, which real text
 * can be told from by the scripts its words are written in.
 */

// What a character of a two-byte UTF-8 sequence (U+0080–U+07FF) is, for telling text from mojibake.
// `odd` never stands as text in a names file (C1 controls, IPA, spacing modifiers); `mark` is a
// combining accent, which belongs to the letter before it (macOS writes "é" as "e" + U+0301).
type Script = 'latin' | 'greek' | 'cyrillic' | 'armenian' | 'hebrew' | 'arabic' | 'syriac' | 'thaana' | 'nko'
type Kind = Script | 'mark' | 'odd' | 'gap'

// Where each kind starts; a character is of the last range starting at or below it.
const KINDS: readonly (readonly [number, Kind])[] = [
  [0x0080, 'odd'],
  [0x00a0, 'gap'], // NBSP, ¥, °, ·, «»: punctuation, not letters
  [0x00c0, 'latin'],
  [0x0250, 'odd'],
  [0x0300, 'mark'],
  [0x0370, 'greek'],
  [0x0400, 'cyrillic'],
  [0x0500, 'odd'], // Cyrillic for minority languages of Russia: no names file here holds them
  [0x0530, 'armenian'],
  [0x0590, 'hebrew'],
  [0x0600, 'arabic'],
  [0x0700, 'syriac'],
  [0x0750, 'arabic'],
  [0x0780, 'thaana'],
  [0x07c0, 'nko'],
]

function kindOf(c: number): Kind {
  if (c < 0x80) return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a ? 'latin' : 'gap'
  if (c === 0xd7 || c === 0xf7) return 'gap' // × ÷
  let kind: Kind = 'odd'
  for (const [start, k] of KINDS) {
    if (c < start) break
    kind = k
  }
  return kind
}

/**
 * Whether text read as UTF-8 was really written as GBK. A short GBK file can be valid UTF-8 by
 * chance: 袁泉 and 郑爽 read as "ԬȪ" and "֣ˬ". Every two-byte UTF-8 sequence (C2–DF 80–BF) is also
 * a CJK ideograph in GBK, so the GBK reading is always available; the UTF-8 reading decides.
 * Real text writes each word in one script, and puts accented Latin letters among plain ones
 * (José, Müller, Zhāng); mojibake mixes scripts within a word, leaves lone letters, or shows
 * characters no names file holds (C1 controls, IPA). GBK wins only when such words outnumber
 * readable ones, so a file of European or pinyin names stays UTF-8. A character of three or more
 * bytes (UTF-8 Chinese is U+4E00–U+9FFF) settles it as UTF-8: GBK bytes seldom form one.
 */
export function gbkInDisguise(text: string): boolean {
  let readable = 0
  let garbled = 0
  const word = { kinds: new Set<Kind>(), ascii: 0, letters: 0, marks: 0 }
  const endWord = () => {
    if (word.letters + word.marks > 0) {
      const [kind] = word.kinds
      const oneScript = word.kinds.size === 1 && kind !== 'odd'
      // Latin needs a plain letter beside the accented ones; other scripts, three letters: names
      // are longer than that, while two GBK characters often read as two Cyrillic or Greek ones.
      const ok = oneScript && (kind === 'latin' ? word.ascii > 0 : word.letters >= 3)
      if (ok) readable++
      else garbled++
    }
    word.kinds.clear()
    word.ascii = word.letters = word.marks = 0
  }
  for (const ch of text) {
    const c = ch.codePointAt(0)!
    if (c >= 0x800) return false
    const kind = kindOf(c)
    if (kind === 'gap') endWord()
    else if (kind === 'mark') word.marks++
    else {
      word.kinds.add(kind)
      if (c < 0x80) word.ascii++
      else word.letters++
    }
  }
  endWord()
  return garbled > readable
}
