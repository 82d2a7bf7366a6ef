import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { safeLocalName, withTag } from '../../../main/engine/download/local-path.ts'
import { NameTable } from '../../../main/engine/export/name-table.ts'
import { foldName, LocalNamer, type NamerKeys } from '../../../main/engine/naming/local-namer.ts'

/**
 * The namer keeps numbers instead of strings per file (docs/performance.md): it must decide
 * exactly what the namer of two maps decided. `MapNamer` is that namer as it was, kept here as
 * the reference; both are fed the same generated claims and candidates, with clashes, case and
 * Unicode folding, working-file suffixes, folders and names that cannot be files.
 */
class MapNamer {
  private readonly files = new Map<string, string>()
  private readonly folders = new Set<string>()
  private readonly byKey = new Map<string, string>()
  get size(): number {
    return this.byKey.size
  }
  pathOf(key: string): string | undefined {
    return this.byKey.get(key)
  }
  claim(key: string, path: string): void {
    this.byKey.set(key, path)
    this.take(key, path)
  }
  assign(key: string, candidate: string | readonly string[]): string {
    const known = this.byKey.get(key)
    if (known !== undefined) return known
    const parts = (typeof candidate === 'string' ? candidate.split('/') : candidate).filter((p) => p !== '')
    const safe = (parts.length > 0 ? parts : ['']).map((p) => safeLocalName(p))
    const file = safe.pop()!
    const tag = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 8)
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
  private clashes(path: string): boolean {
    const f = foldName(path)
    const { files } = this
    if (files.has(f) || this.folders.has(f) || files.has(`${f}.part`) || files.has(`${f}.part.etag`)) return true
    if (f.endsWith('.part.etag') && files.has(f.slice(0, -'.part.etag'.length))) return true
    return f.endsWith('.part') && files.has(f.slice(0, -'.part'.length))
  }
}
const suffix = (tag: string, n: number) => `~${tag}${n === 1 ? '' : `-${n}`}`
const join = (folder: string, file: string) => (folder === '' ? file : `${folder}/${file}`)

function random(seed: number): (n: number) => number {
  let s = seed >>> 0
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t)
    return (((t ^ (t >>> 14)) >>> 0) % n)
  }
}

const STEMS = ['a', 'A', 'x.wav', 'X.WAV', 'caf\u00e9', 'cafe\u0301', 'CAF\u00c9', 'a:b', 'a_b', '2024', 'CON', '.hidden', 'd\ud800', '']
const ENDS = ['', '.wav', '.WAV', '.part', '.part.etag', '.wav.part', '~1', '/']
const FOLDERS = ['', '2024/01', '2024/01/a.wav', '2024', 'A', 'a/b', '/lead', 'x.wav']

function pick<T>(r: (n: number) => number, list: readonly T[]): T {
  return list[r(list.length)]!
}

type Step = { op: 'claim'; key: string; path: string } | { op: 'assign'; key: string; candidate: string | readonly string[] }

function steps(seed: number, count: number): Step[] {
  const r = random(seed)
  const keys = Array.from({ length: 24 }, () => `${pick(r, STEMS)}${pick(r, ENDS)}`)
  const out: Step[] = []
  for (let k = 0; k < count; k++) {
    const key = pick(r, keys)
    const folder = pick(r, FOLDERS)
    const file = r(3) === 0 ? pick(r, keys) : key
    const path = folder === '' ? file : `${folder}/${file}`
    if (r(4) === 0) out.push({ op: 'claim', key, path })
    else out.push({ op: 'assign', key, candidate: r(2) === 0 ? [file] : path })
  }
  return out
}

function run(namer: Pick<LocalNamer, 'claim' | 'assign' | 'pathOf' | 'size'>, plan: readonly Step[]): unknown[] {
  const out: unknown[] = []
  for (const step of plan) {
    if (step.op === 'claim') namer.claim(step.key, step.path)
    else {
      try {
        out.push(namer.assign(step.key, step.candidate))
      } catch (e) {
        out.push(`throws ${(e as { code?: string }).code}`)
      }
    }
    out.push(namer.size, namer.pathOf(step.key))
  }
  return out
}

/** Keys numbered by a table filled beforehand, as ExportNames numbers them by the export's table. */
function tableKeys(plan: readonly Step[]): NamerKeys {
  const table = new NameTable()
  for (const step of plan) table.add(step.key)
  return { indexOf: (key) => table.indexOf(key), at: (i) => table.at(i) }
}

describe('LocalNamer keeping numbers', () => {
  it('decides every path as the namer of two maps did, over generated claims and candidates', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const plan = steps(seed, 60)
      const expected = run(new MapNamer(), plan)
      expect(run(new LocalNamer(), plan), `seed ${seed}`).toEqual(expected)
      expect(run(new LocalNamer(tableKeys(plan)), plan), `seed ${seed}, table keys`).toEqual(expected)
    }
  })

  it('keeps a path a key claimed before taken when the key claims another (an older build)', () => {
    const plan: Step[] = [
      { op: 'claim', key: 'k', path: 'old/k' },
      { op: 'claim', key: 'k', path: 'new.wav' },
      { op: 'assign', key: 'j', candidate: ['OLD', 'K'] },
      { op: 'assign', key: 'old/k', candidate: 'old/k' },
      { op: 'claim', key: 'k', path: 'NEW.wav' },
      { op: 'assign', key: 'new.wav', candidate: ['new.wav'] },
    ]
    const expected = run(new MapNamer(), plan)
    expect(expected).toContain('OLD/K~' + createHash('sha256').update('j').digest('hex').slice(0, 8))
    expect(run(new LocalNamer(), plan)).toEqual(expected)
  })
})
