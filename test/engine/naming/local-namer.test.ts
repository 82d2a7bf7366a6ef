import { describe, expect, it } from 'vitest'
import { safeLocalName } from '../../../main/engine/download/local-path.ts'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import { ExportNames } from '../../../main/engine/naming/export-names.ts'
import { foldName, LocalNamer } from '../../../main/engine/naming/local-namer.ts'

/** Every name, its `.part` and its sidecar, folded: no two may meet. */
function expectDistinctOnDisk(paths: readonly string[]): void {
  const seen = new Set<string>()
  for (const p of paths) {
    for (const f of [p, `${p}.part`, `${p}.part.etag`]) {
      expect(seen.has(foldName(f)), f).toBe(false)
      seen.add(foldName(f))
    }
  }
}

describe('LocalNamer', () => {
  it('keeps a listed x.wav~<hash> off the .part of the CCC name x.wav.part (issue 17 item 3)', () => {
    const namer = new LocalNamer()
    const fromPart = namer.assign('x.wav.part', ['x.wav.part'])
    // The name the old rule gave x.wav.part, listed on its own.
    const tagged = `x.wav~${safeLocalName('x.wav.part').match(/~([0-9a-f]{8})/)![1]}`
    const listed = namer.assign(tagged, [tagged])
    expect(fromPart.endsWith('.part')).toBe(false)
    expectDistinctOnDisk([fromPart, listed])
  })

  it("never gives a recording the name of one of the export's own files at the top of the folder", () => {
    const namer = new LocalNamer()
    for (const own of ['report.csv', 'Manifest.CSV', 'manifest.jsonl', 'dry-run.csv']) {
      const path = namer.assign(own, [own])
      expect(foldName(path)).not.toBe(foldName(own))
      expect(path).toMatch(/~[0-9a-f]{8}/)
    }
    // In a folder of its own, the name is the recording's.
    expect(namer.assign('calls/report.csv', 'calls/report.csv')).toBe('calls/report.csv')
    // Nor does a template's folder take one of those names at the top.
    expect(namer.assign('a.wav', 'report.csv/a.wav')).toMatch(/^report~[0-9a-f]{8}\.csv\/a\.wav$/)
  })

  it('gives a:b.wav and a literal a_b~<its hash>.wav two files', () => {
    const namer = new LocalNamer()
    const safe = safeLocalName('a:b.wav')
    const first = namer.assign('a:b.wav', ['a:b.wav'])
    const second = namer.assign(safe, [safe])
    expect(first).toBe(safe)
    expect(second).not.toBe(first)
    expect(second.endsWith('.wav')).toBe(true)
    expectDistinctOnDisk([first, second])
  })

  it('folds case and Unicode normalisation: X.wav and x.wav, é and e + accent are one file elsewhere', () => {
    const namer = new LocalNamer()
    const paths = ['X.wav', 'x.wav', 'caf\u00e9.wav', 'cafe\u0301.wav'].map((n) => namer.assign(n, [n]))
    expect(paths[0]).toBe('X.wav')
    expect(paths[2]).toBe('caf\u00e9.wav')
    expectDistinctOnDisk(paths)
  })

  it('tells which key a path is, exactly: another case or a folder is no key', () => {
    const namer = new LocalNamer()
    namer.assign('k1', '2024/01/a.wav')
    namer.assign('b.wav', ['b.wav'])
    expect(namer.keyOf('2024/01/a.wav')).toBe('k1')
    expect(namer.keyOf('b.wav')).toBe('b.wav')
    expect(namer.keyOf('B.wav')).toBeUndefined()
    expect(namer.keyOf('2024/01')).toBeUndefined()
    expect(namer.keyOf('movie.mp4')).toBeUndefined()
    // On a disk that ignores case, b of sales/ lands in the Sales/ made first: folded, it is found.
    namer.assign('k2', 'sales/x.wav')
    namer.assign('k3', 'Sales/y.wav')
    expect(namer.keyOf('sales/y.wav')).toBeUndefined()
    expect(namer.keyOf('sales/y.wav', true)).toBe('k3')
    expect(namer.keyOf('B.wav', true)).toBe('b.wav')
    expect(namer.keyOf('movie.mp4', true)).toBeUndefined()
  })

  it('keeps a file and a folder of the same name apart, and makes every component safe', () => {
    const namer = new LocalNamer()
    const file = namer.assign('k1', '2024/01')
    const under = namer.assign('k2', '2024/01/a.wav')
    expect(file).toBe('2024/01')
    expect(under).not.toMatch(/^2024\/01\//)
    const hostile = namer.assign('k3', '../CON/a:b.wav').split('/')
    expect(hostile).toHaveLength(3)
    expect(hostile.every((c) => c !== '..' && !c.startsWith('.'))).toBe(true)
    expect(hostile[1]).toMatch(/^_CON~/)
    expect(hostile[2]).toMatch(/^a_b~[0-9a-f]{8}\.wav$/)
  })

  it('takes journalled paths first, and the same names come back in the same order', () => {
    const list = ['dup.wav', 'DUP.wav', 'dUp.wav', 'other.wav']
    const first = new LocalNamer()
    const given = list.map((n) => first.assign(n, [n]))
    const again = new LocalNamer()
    again.claim('dUp.wav', given[2]!)
    expect(list.map((n) => again.assign(n, [n]))).toEqual(given)
  })
})

describe('ExportNames', () => {
  it('names files in the order added, so a rebuild from the table gives the same paths', () => {
    const table = new ExportTable()
    table.add(['a.wav', 'A.wav'])
    const names = new ExportNames(table, 'flat')
    // Asked for the second first: the first is still named before it.
    const second = names.relativePath('A.wav', table.files.get('A.wav')!)
    // Added while the run goes on: the live view of the table still reaches it.
    table.add(['a.WAV'])
    const third = names.relativePath('a.WAV', table.files.get('a.WAV')!)
    const first = names.relativePath('a.wav', table.files.get('a.wav')!)
    expect(first).toBe('a.wav')
    table.done(table.files.get('A.wav')!, 1, second)
    const rebuilt = new ExportNames(table, 'flat')
    expect(['a.wav', 'A.wav', 'a.WAV'].map((n) => rebuilt.relativePath(n, table.files.get(n)!))).toEqual([first, second, third])
  })

  it('finds which file a path is, naming every file in portions that let the event loop run', async () => {
    const table = new ExportTable()
    table.add(Array.from({ length: 25_000 }, (_, i) => `n-${i}.wav`))
    const names = new ExportNames(table, 'flat')
    let turns = 0
    const tick = setInterval(() => turns++, 0)
    try {
      expect(await names.ownerOf('n-24999.wav')).toBe('n-24999.wav')
      expect(await names.ownerOf('unknown/n-1.wav')).toBeUndefined()
    } finally {
      clearInterval(tick)
    }
    expect(turns).toBeGreaterThan(0)
  })
})
