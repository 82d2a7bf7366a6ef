import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import {
  dateFolder,
  localPathFor,
  MAX_NAME_BYTES,
  resolveInside,
  safeLocalName,
  timeInName,
  UNKNOWN_DATE_FOLDER,
} from '../../../main/engine/download/local-path.ts'

const TAG = /~[0-9a-f]{8}/
const WINDOWS_BAD = /[<>:"/\\|?*\u0000-\u001f]/

/** What Windows, macOS and Linux all accept as one file name. */
function expectPortable(name: string): void {
  expect(name.length).toBeGreaterThan(0)
  expect(name).not.toMatch(WINDOWS_BAD)
  expect(name).not.toContain('..')
  expect(name).not.toMatch(/[. ]$/)
  expect(name.startsWith('.')).toBe(false)
  expect(name.split('.')[0]!.trimEnd()).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i)
  expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES)
  expect(path.posix.basename(name)).toBe(name)
  expect(path.win32.basename(name)).toBe(name)
}

describe('safeLocalName', () => {
  it('leaves real CCC names alone', () => {
    for (const n of ['153128491143400080327683.wav', '1531284911434-abc_DEF.mp3', '通话录音 01.wav', 'a~b.wav']) {
      expect(safeLocalName(n)).toBe(n)
    }
  })

  it('neutralises separators and traversal', () => {
    for (const n of ['../../etc/passwd', '..\\..\\Windows\\win.ini', '/etc/passwd', 'a/../../b.wav', '..', '.', '...', './x.wav']) {
      const out = safeLocalName(n)
      expectPortable(out)
      expect(out, n).toMatch(TAG)
    }
    expect(safeLocalName('../../x.wav')).toMatch(/^__\._x~[0-9a-f]{8}\.wav$/)
  })

  it('removes drive letters, UNC prefixes and reserved characters', () => {
    for (const n of ['C:\\x.wav', 'C:x.wav', '\\\\server\\share\\x.wav', 'a<b>c"d|e?f*g.wav', 'tab\there.wav', 'bell\u0007.wav', 'del\u007f.wav']) {
      const out = safeLocalName(n)
      expectPortable(out)
      expect(out, n).toMatch(/~[0-9a-f]{8}\.wav$/)
    }
    expect(safeLocalName('C:x.wav')).toMatch(/^C_x~[0-9a-f]{8}\.wav$/)
  })

  it('defuses Windows reserved device names, with extensions and in any case', () => {
    for (const n of ['CON', 'con.wav', 'Prn.txt', 'aux', 'NUL.tar.gz', 'com1.wav', 'LPT9', 'com¹.wav', 'CON .wav', 'conin$.wav']) {
      const out = safeLocalName(n)
      expectPortable(out)
      expect(out, n).toMatch(/^_/)
      expect(out, n).toMatch(TAG)
    }
    // Not reserved: the device names only count as the whole stem.
    for (const n of ['console.wav', 'com10.wav', 'connect.wav', 'nul_.wav']) expect(safeLocalName(n)).toBe(n)
  })

  it('drops trailing dots and spaces, which Windows would drop silently', () => {
    expect(safeLocalName('x.wav.')).toMatch(/^x~[0-9a-f]{8}\.wav$/)
    expect(safeLocalName('x.wav  ')).toMatch(/^x~[0-9a-f]{8}\.wav$/)
    expectPortable(safeLocalName(' . . '))
  })

  it('never lets a name pass for our own working files', () => {
    for (const n of ['x.wav.part', 'x.wav.PART', 'x.wav.part.etag']) {
      const out = safeLocalName(n)
      expect(out, n).toMatch(TAG)
      expect(out.endsWith('x.wav.part')).toBe(false)
      expect(out.endsWith('x.wav.part.etag')).toBe(false)
    }
  })

  it('caps long names at 200 UTF-8 bytes, keeping the extension, distinct names distinct', () => {
    const a = `${'录'.repeat(150)}A.wav` // 450+ bytes
    const b = `${'录'.repeat(150)}B.wav`
    const outA = safeLocalName(a)
    const outB = safeLocalName(b)
    for (const out of [outA, outB]) {
      expectPortable(out)
      expect(out.endsWith('.wav')).toBe(true)
      expect(out).toMatch(TAG)
      // No code point cut in half.
      expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out)
      expect(out).not.toContain('\ufffd')
    }
    expect(outA).not.toBe(outB)
    const ascii = `${'x'.repeat(300)}.wav`
    expect(Buffer.byteLength(safeLocalName(ascii))).toBe(MAX_NAME_BYTES)
    const fits = `${'x'.repeat(MAX_NAME_BYTES - 4)}.wav`
    expect(safeLocalName(fits)).toBe(fits)
  })

  it('tags only altered names, so a sanitised name never collides with a genuine one', () => {
    expect(safeLocalName('a_b.wav')).toBe('a_b.wav')
    const altered = safeLocalName('a:b.wav')
    expect(altered).toMatch(/^a_b~[0-9a-f]{8}\.wav$/)
    expect(altered).not.toBe(safeLocalName('a_b.wav'))
    expect(safeLocalName('a|b.wav')).not.toBe(altered)
    expect(safeLocalName('a..b.wav')).not.toBe(safeLocalName('a.b.wav'))
  })

  it('is deterministic', () => {
    for (const n of ['a:b.wav', 'CON', `${'y'.repeat(400)}.wav`]) expect(safeLocalName(n)).toBe(safeLocalName(n))
  })

  it('refuses an empty name with InvalidFileName', () => {
    expect(() => safeLocalName('')).toThrowError(CccError)
    try {
      safeLocalName('')
    } catch (e) {
      expect((e as CccError).code).toBe('InvalidFileName')
    }
  })
})

describe('resolveInside', () => {
  it('resolves a relative name inside the root (POSIX)', () => {
    expect(resolveInside('/out', 'a.wav', path.posix)).toBe('/out/a.wav')
    expect(resolveInside('/out/', '2018/07/11/a.wav', path.posix)).toBe('/out/2018/07/11/a.wav')
    expect(resolveInside('/out', '..a.wav', path.posix)).toBe('/out/..a.wav') // a name, not a parent
  })

  it('refuses anything at or outside the root (POSIX)', () => {
    for (const rel of ['', '.', '..', '../x', 'a/../../x', '/etc/passwd', '/out2/x', 'a/../']) {
      expect(() => resolveInside('/out', rel, path.posix), rel).toThrowError(/outside the output folder/)
    }
  })

  it('applies Windows rules: drives, UNC, backslashes, case', () => {
    const w = path.win32
    expect(resolveInside('C:\\Out', 'a.wav', w)).toBe('C:\\Out\\a.wav')
    expect(resolveInside('c:\\out', '2018\\07\\a.wav', w)).toBe('c:\\out\\2018\\07\\a.wav')
    for (const rel of ['..\\x', 'a\\..\\..\\x', 'D:\\x', 'D:x', 'C:\\x', 'C:..\\x', '\\\\server\\share\\x', '\\x', '/x', 'a/../../x', 'C:\\OUT\\..\\x']) {
      expect(() => resolveInside('C:\\Out', rel, w), rel).toThrowError(CccError)
    }
  })

  it('accepts every safeLocalName output under both path flavours', () => {
    for (const n of ['../../x', 'C:\\x', '..\\..\\x', 'D:', '\\\\a\\b', '.', 'CON']) {
      const safe = safeLocalName(n)
      expect(resolveInside('/out', safe, path.posix)).toBe(`/out/${safe}`)
      expect(resolveInside('C:\\Out', safe, path.win32)).toBe(`C:\\Out\\${safe}`)
    }
  })
})

describe('dateFolder / localPathFor', () => {
  it('reads the leading millisecond timestamp in China Standard Time', () => {
    // 1531284911434 = 2018-07-11T04:55:11Z = 12:55 CST.
    expect(dateFolder('153128491143400080327683.wav')).toBe('2018/07/11')
    // 2018-07-10T16:30:00Z is already the 11th in CST (UTC+8), still the 10th in UTC.
    const lateUtc = Date.UTC(2018, 6, 10, 16, 30)
    expect(dateFolder(`${lateUtc}0001.wav`)).toBe('2018/07/11')
    expect(dateFolder(`${Date.UTC(2018, 6, 10, 15, 59)}.wav`)).toBe('2018/07/10')
  })

  it('prefers a known start time, and gives up on names without a plausible one', () => {
    expect(dateFolder('153128491143400080327683.wav', Date.UTC(2020, 0, 31, 20))).toBe('2020/02/01')
    expect(dateFolder('153128491143400080327683.wav', Number.NaN)).toBe('2018/07/11')
    expect(dateFolder('153128491143400080327683.wav', 0)).toBe('2018/07/11')
    expect(dateFolder('recording.wav')).toBeUndefined()
    // A wall-clock start (China's, as CCC's) from another system's list, not epoch ms of 2034.
    expect(dateFolder('20260304233000-x.wav')).toBe('2026/03/04')
    expect(timeInName('20260304233000-x.wav')).toBe(Date.UTC(2026, 2, 4, 15, 30))
    // Not a day: read as epoch ms, as ever (which here is 2034, inside the plausible years).
    expect(timeInName('20261399233000-x.wav')).toBe(2026139923300)
    expect(dateFolder('123.wav')).toBeUndefined()
    expect(dateFolder('9999999999999.wav')).toBeUndefined() // year 2286
  })

  it('lays files out flat or by date, always inside the root', () => {
    const root = path.resolve('/tmp/out')
    expect(localPathFor(root, '153128491143400080327683.wav', 'flat')).toBe(path.join(root, '153128491143400080327683.wav'))
    expect(localPathFor(root, '153128491143400080327683.wav', 'by-date')).toBe(
      path.join(root, '2018', '07', '11', '153128491143400080327683.wav'),
    )
    expect(localPathFor(root, 'x.wav', 'by-date')).toBe(path.join(root, UNKNOWN_DATE_FOLDER, 'x.wav'))
    expect(localPathFor('C:\\Out', '1531284911434/../../x.wav', 'by-date', undefined, path.win32)).toMatch(
      /^C:\\Out\\2018\\07\\11\\1531284911434_\._\._x~[0-9a-f]{8}\.wav$/,
    )
    expect(localPathFor(root, '../../etc/passwd', 'flat').startsWith(root + path.sep)).toBe(true)
  })
})
