import { createHash } from 'node:crypto'
import { ownNamesAtRoot } from '../calls/folder-walk.ts'
import { safeLocalName, withTag } from '../download/local-path.ts'
import { NameTable } from '../export/name-table.ts'
import { Utf8Column } from '../export/utf8-column.ts'
import { hashName } from '../../common/name-hash.ts'

/**
 * The one place that decides an export's local names (issue 17 item 3). Each recording comes
 * with a candidate relative path (`/` between folders: a layout's or a naming template's
 * rendering); the namer makes every component safe (local-path.ts) and the whole path unique
 * among the export's files, their `.part` and `.part.etag` files and their folders, with case
 * and Unicode normalisation folded always: an export moves between file systems, and on
 * Windows or macOS `X.wav` and `x.wav` are one file. A clash gets `~<hash of the CCC name>`,
 * then `-2`, `-3` … until free.
 *
 * Names are decided in the order the export's files were added (journalled `add` lines), and the
 * paths of finished files are taken from their journalled `done` lines first: rebuilding the
 * namer from the table on open gives every file the name it had, so resume and a rerun agree.
 */

const PART = '.part'
const ETAG = '.part.etag'

let ownFolded: ReadonlySet<string> | undefined
/** The export's own files at the folder's top, folded: built on first use, after every module is loaded. */
function ownAtRoot(): ReadonlySet<string> {
  return (ownFolded ??= new Set(ownNamesAtRoot().map((n) => foldName(n))))
}

/** What two names are the same file as on the most forgiving file system an export may land on. */
export function foldName(path: string): string {
  return path.normalize('NFC').toLowerCase()
}

function hash8(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8)
}

/** The namer's keys by number: a table of its own, or the export table's names (ExportNames). */
export interface NamerKeys {
  /** The number of `key`, or -1. */
  indexOf(key: string): number
  /** The key numbered `index`. */
  at(index: number): string
  /** Numbers a key not seen before (a table of its own); without it, every key must be there already. */
  add?(key: string): number
}

// Bits of a key's flags.
const NAMED = 1
/** The path's last component is the key itself (the flat and dated layouts): not kept again. */
const FILE_IS_KEY = 2

/**
 * What the namer keeps per file is numbers, not strings (docs/performance.md: a `Map` from the
 * CCC name to its path and one from the folded path to the name took about 120 bytes a file):
 * flags by the key's number; a path's folder as the number of one of the export's folders, and
 * its file name only when it is not the key (UTF-8, utf8-column.ts); the folded paths taken as an
 * open-addressing set of numbers, each with the 32-bit hash of its folded path, so that a probe
 * folds a path again only when the hashes agree.
 */
export class LocalNamer {
  private flags = new Uint8Array(0)
  /** Hash of the folded path each number holds in `slots`. */
  private hashes = new Uint32Array(0)
  /** A path's last component, where it is not the key. */
  private readonly files = new Utf8Column()
  /** The folder of each path (folder number + 1; 0: a path without `/`), from the first path with one. */
  private folderOf: Uint32Array | undefined
  private readonly folderIds = new Map<string, number>()
  private readonly folderList: string[] = []
  /** The numbers holding folded paths (number + 1; 0 is empty), kept at most half full. */
  private slots = new Int32Array(2048)
  private held = 0
  /** Folded paths a key claimed again left behind (never in an export's own rebuild). */
  private readonly left = new Set<string>()
  /** Folded folder paths some file lies under. */
  private readonly folders = new Set<string>()
  private count = 0

  constructor(private readonly keys: NamerKeys = new NameTable()) {}

  get size(): number {
    return this.count
  }

  pathOf(key: string): string | undefined {
    const i = this.keys.indexOf(key)
    return i >= 0 && i < this.flags.length && this.flags[i]! & NAMED ? this.pathAt(i) : undefined
  }

  /**
   * The key named `path`, if any: exactly, or (`folded`) as a disk that ignores case and Unicode
   * normalisation stores it, where a file goes into the folder first made in another case.
   */
  keyOf(path: string, folded = false): string | undefined {
    const i = this.holder(foldName(path))
    return i >= 0 && (folded || this.pathAt(i) === path) ? this.keys.at(i) : undefined
  }

  /**
   * A path already on disk under that name (a journalled `done`): taken as it is, even where an
   * older build let two files share it, since the file is there now.
   */
  claim(key: string, path: string): void {
    const i = this.numberOf(key)
    if (this.flags[i]! & NAMED) {
      // Its old folded path stays taken, as a map of them kept it.
      const old = foldName(this.pathAt(i))
      if (old !== foldName(path) && this.holder(old) === i) this.left.add(old)
    }
    this.take(i, key, path)
  }

  /**
   * The final relative path for `key`: its candidate made safe, and unique in the export. A string
   * is split at `/` (a template's rendering); an array is the components as they are (a CCC name
   * holding `/` stays one file name).
   */
  assign(key: string, candidate: string | readonly string[]): string {
    const known = this.pathOf(key)
    if (known !== undefined) return known
    const parts = (typeof candidate === 'string' ? candidate.split('/') : candidate).filter((p) => p !== '')
    const safe = (parts.length > 0 ? parts : ['']).map((p) => safeLocalName(p))
    const file = safe.pop()!
    const tag = hash8(key)
    // A folder where another file already is gets the tag itself, component by component.
    let folder = ''
    for (const component of safe) {
      let next = join(folder, component)
      // At the top, a folder called report.csv would keep the report from being written.
      const taken = (path: string): boolean => this.has(foldName(path)) || (folder === '' && ownAtRoot().has(foldName(path)))
      for (let n = 1; taken(next); n++) next = join(folder, withTag(component, suffix(tag, n)))
      folder = next
    }
    let path = join(folder, file)
    for (let n = 1; this.clashes(path); n++) path = join(folder, withTag(file, suffix(tag, n)))
    this.take(this.numberOf(key), key, path)
    return path
  }

  private numberOf(key: string): number {
    let i = this.keys.indexOf(key)
    if (i < 0 && this.keys.add) i = this.keys.add(key)
    if (i < 0) throw new Error('LocalNamer: a key its table does not have')
    if (i >= this.flags.length) this.cover(i)
    return i
  }

  private pathAt(i: number): string {
    const file = this.flags[i]! & FILE_IS_KEY ? this.keys.at(i) : (this.files.get(i) ?? '')
    const folder = this.folderOf?.[i] ?? 0
    return folder === 0 ? file : `${this.folderList[folder - 1]!}/${file}`
  }

  /** Keeps `path` for number `i`: its folder by number, its file name unless it is the key. */
  private keep(i: number, key: string, path: string): void {
    const slash = path.lastIndexOf('/')
    const file = slash < 0 ? path : path.slice(slash + 1)
    this.flags[i] = NAMED | (file === key ? FILE_IS_KEY : 0)
    this.files.set(i, file === key ? undefined : file)
    if (slash < 0) {
      if (this.folderOf) this.folderOf[i] = 0
      return
    }
    const folder = path.slice(0, slash)
    let id = this.folderIds.get(folder)
    if (id === undefined) {
      id = this.folderList.push(folder) - 1
      this.folderIds.set(folder, id)
    }
    this.folderOf ??= new Uint32Array(this.flags.length)
    this.folderOf[i] = id + 1
  }

  private take(i: number, key: string, path: string): void {
    if (!(this.flags[i]! & NAMED)) this.count++
    this.keep(i, key, path)
    const folded = foldName(path)
    if (!this.has(folded)) this.hold(i, folded)
    for (let k = folded.indexOf('/'); k >= 0; k = folded.indexOf('/', k + 1)) this.folders.add(folded.slice(0, k))
  }

  /** Whether `path` or its working files would meet another file's, or a folder's. */
  private clashes(path: string): boolean {
    const f = foldName(path)
    // A recording called report.csv would be overwritten by the report, then fetched again by every resume.
    if (ownAtRoot().has(f)) return true
    if (this.has(f) || this.folders.has(f) || this.has(f + PART) || this.has(f + ETAG)) return true
    // Only a journalled path of an older build can end so (safeLocalName never does).
    if (f.endsWith(ETAG) && this.has(f.slice(0, -ETAG.length))) return true
    return f.endsWith(PART) && this.has(f.slice(0, -PART.length))
  }

  /** Whether some file's path folds to `folded`. */
  private has(folded: string): boolean {
    return this.holder(folded) >= 0 || this.left.has(folded)
  }

  /** The number whose path folds to `folded` in the set, or -1. */
  private holder(folded: string): number {
    const h = hashName(folded)
    const mask = this.slots.length - 1
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const slot = this.slots[s]!
      if (slot === 0) return -1
      if (this.hashes[slot - 1] === h && foldName(this.pathAt(slot - 1)) === folded) return slot - 1
    }
  }

  private hold(i: number, folded: string): void {
    const h = hashName(folded)
    this.hashes[i] = h
    const mask = this.slots.length - 1
    let s = h & mask
    while (this.slots[s] !== 0) s = (s + 1) & mask
    this.slots[s] = i + 1
    if (++this.held * 2 > this.slots.length) this.grow()
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2)
    const mask = slots.length - 1
    for (const slot of this.slots) {
      if (slot === 0) continue
      let s = this.hashes[slot - 1]! & mask
      while (slots[s] !== 0) s = (s + 1) & mask
      slots[s] = slot
    }
    this.slots = slots
  }

  /** Room for number `i`, twice what is needed so that numbering in order costs little. */
  private cover(i: number): void {
    const size = Math.max(1024, (i + 1) * 2)
    const flags = new Uint8Array(size)
    flags.set(this.flags)
    const hashes = new Uint32Array(size)
    hashes.set(this.hashes)
    this.flags = flags
    this.hashes = hashes
    if (this.folderOf) {
      const folderOf = new Uint32Array(size)
      folderOf.set(this.folderOf)
      this.folderOf = folderOf
    }
  }
}

function suffix(tag: string, n: number): string {
  return `~${tag}${n === 1 ? '' : `-${n}`}`
}

function join(folder: string, file: string): string {
  return folder === '' ? file : `${folder}/${file}`
}
