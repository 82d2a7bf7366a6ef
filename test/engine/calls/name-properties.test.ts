import { describe, expect, it } from 'vitest'
import { safeLocalName } from '../../../main/engine/download/local-path.ts'
import { parseTemplate, renderName } from '../../../main/engine/calls/name-template.ts'

// Property tests (issue 13): whatever a CCC name or a call's data holds, the local name is one
// harmless file name on Windows, macOS and Linux. Seeded, so a failure is repeatable.
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Where trouble lives: controls, Windows' reserved characters, dots, spaces, separators, CJK,
// combining marks, astral emoji, lone surrogates, bidi controls, reserved device names.
const PIECES = ['\u0000', '\u001f', '\u007f', '\u0085', '<', '>', ':', '"', '/', '\\', '|', '?', '*', '.', '..', ' ', '\t', '张三', '录音', 'é', 'e\u0301', '😀', '\ud800', '\u202e', 'CON', 'nul', 'COM1', 'LPT9', '.part', '.part.etag', '~', 'a', 'wav', '.wav', 'x'.repeat(120)]

function randomText(next: () => number): string {
  const n = 1 + Math.floor(next() * 12)
  let s = ''
  for (let i = 0; i < n; i++) s += next() < 0.7 ? PIECES[Math.floor(next() * PIECES.length)] : String.fromCodePoint(Math.floor(next() * 0x10ffff) & ~0x800)
  return s
}

const ILLEGAL = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i

function expectHarmless(name: string, from: string): void {
  const why = JSON.stringify(from)
  expect(name.length, why).toBeGreaterThan(0)
  expect(name, why).not.toMatch(ILLEGAL)
  expect(name, why).not.toMatch(/[. ]$/)
  expect(name === '.' || name === '..', why).toBe(false)
  expect(name, why).not.toMatch(RESERVED)
  expect(name, why).not.toMatch(/\.part(\.etag)?$/i)
  expect(Buffer.byteLength(name, 'utf8'), why).toBeLessThanOrEqual(255)
}

describe('local names on random Unicode', () => {
  it('makes every CCC name one harmless file name, the same each time', () => {
    const next = random(20261204)
    for (let i = 0; i < 3000; i++) {
      const text = randomText(next)
      if (text === '') continue
      const name = safeLocalName(text)
      expectHarmless(name, text)
      expect(safeLocalName(text)).toBe(name)
    }
  })

  it('renders templates from hostile data into paths that stay inside the folder', () => {
    const next = random(7)
    const template = parseTemplate('{agent}/{col:x}/{caller}_{fileName}')
    for (let i = 0; i < 2000; i++) {
      const fileName = randomText(next)
      if (fileName === '') continue
      const path = renderName(template, { fileName, meta: { agentName: randomText(next), caller: randomText(next), columns: { x: randomText(next) } } })
      const parts = path.split('/')
      expect(parts.length, JSON.stringify(path)).toBe(3)
      for (const part of parts) expectHarmless(part, path)
    }
  })
})
