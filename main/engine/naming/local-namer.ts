import { createHash } from 'node:crypto'
import { safeLocalName, withTag } from '../download/local-path.ts'

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

/** What two names are the same file as on the most forgiving file system an export may land on. */
export function foldName(path: string): string {
  return path.normalize('NFC').toLowerCase()
}

function hash8(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8)
}

export class LocalNamer {
  /** Folded file path → the key (CCC name) that holds it. */
  private readonly files = new Map<string, string>()
  /** Folded folder paths some file lies under. */
  private readonly folders = new Set<string>()
  private readonly byKey = new Map<string, string>()

  get size(): number {
    return this.byKey.size
  }

  pathOf(key: string): string | undefined {
    return this.byKey.get(key)
  }

  /**
   * A path already on disk under that name (a journalled `done`): taken as it is, even where an
   * older build let two files share it, since the file is there now.
   */
  claim(key: string, path: string): void {
    this.byKey.set(key, path)
    this.take(key, path)
  }

  /**
   * The final relative path for `key`: its candidate made safe, and unique in the export. A string
   * is split at `/` (a template's rendering); an array is the components as they are (a CCC name
   * holding `/` stays one file name).
   */
  assign(key: string, candidate: string | readonly string[]): string {
    const known = this.byKey.get(key)
    if (known !== undefined) return known
    const parts = (typeof candidate === 'string' ? candidate.split('/') : candidate).filter((p) => p !== '')
    const safe = (parts.length > 0 ? parts : ['']).map((p) => safeLocalName(p))
    const file = safe.pop()!
    const tag = hash8(key)
    // A folder where another file already is gets the tag itself, component by component.
    let folder = ''
    for (const component of safe) {
      let next = join(folder, component)
      for (let n = 1; this.files.has(foldName(next)); n++) next = join(folder, withTag(component, suffix(tag, n)))
      folder = next
    }
    let path = join(folder, file)
    for (let n = 1; this.clashes(path); n++) path = join(folder, withTag(file, suffix(tag, n)))
    this.byKey.set(key, path)
    this.take(key, path)
    return path
  }

  private take(key: string, path: string): void {
    const folded = foldName(path)
    if (!this.files.has(folded)) this.files.set(folded, key)
    for (let i = folded.indexOf('/'); i >= 0; i = folded.indexOf('/', i + 1)) this.folders.add(folded.slice(0, i))
  }

  /** Whether `path` or its working files would meet another file's, or a folder's. */
  private clashes(path: string): boolean {
    const f = foldName(path)
    const { files } = this
    if (files.has(f) || this.folders.has(f) || files.has(f + PART) || files.has(f + ETAG)) return true
    // Only a journalled path of an older build can end so (safeLocalName never does).
    if (f.endsWith(ETAG) && files.has(f.slice(0, -ETAG.length))) return true
    return f.endsWith(PART) && files.has(f.slice(0, -PART.length))
  }
}

function suffix(tag: string, n: number): string {
  return `~${tag}${n === 1 ? '' : `-${n}`}`
}

function join(folder: string, file: string): string {
  return folder === '' ? file : `${folder}/${file}`
}
