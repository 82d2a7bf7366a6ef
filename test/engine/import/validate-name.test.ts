import { describe, expect, it } from 'vitest'
import {
  cleanRecordingName,
  MAX_NAME_LENGTH,
  NAME_PROBLEM_TEXT,
  validateRecordingName,
  type NameProblem,
} from '../../../main/engine/import/validate-name.ts'

describe('validateRecordingName', () => {
  it('accepts CCC names, including the awkward characters the API allows', () => {
    for (const name of [
      '153128491143400080327683.wav',
      "a b*c~d+e(1)!'中.wav",
      '录音 2024-01-01.mp3',
      '😀.wav', // a surrogate pair is one character, not a broken one
      'x'.repeat(MAX_NAME_LENGTH),
      '...wav',
      '1E5.wav', // the extension makes it a name, however numeric the rest
      '123456789012',
    ]) {
      expect(validateRecordingName(name), name).toBeNull()
    }
  })

  it.each<[string, NameProblem]>([
    ['', 'empty'],
    ['.', 'dot-name'],
    ['..', 'dot-name'],
    ['x'.repeat(MAX_NAME_LENGTH + 1), 'too-long'],
    ['a\tb.wav', 'control-character'],
    ['a\nb.wav', 'control-character'],
    ['a\u0000.wav', 'control-character'],
    ['a\u007f.wav', 'control-character'],
    ['a\u0085.wav', 'control-character'],
    ['../etc/passwd', 'path-separator'],
    ['record\\1.wav', 'path-separator'],
    ['12\u200b34.wav', 'invisible-character'],
    ['12\u202d34.wav', 'invisible-character'],
    ['\u00bc\ufffd.wav', 'replacement-character'],
    ['a\ud800.wav', 'unpaired-surrogate'],
    ['a\udc00.wav', 'unpaired-surrogate'],
    ['1.23457E+11', 'excel-number'],
    ['1,23457E+11', 'excel-number'],
    ['2E+17', 'excel-number'],
    ['9.87654e-05', 'excel-number'],
    ['a\ud800', 'unpaired-surrogate'],
  ])('%j is %s', (name, problem) => {
    expect(validateRecordingName(name)).toBe(problem)
  })

  it('has an English text for every reason', () => {
    for (const text of Object.values(NAME_PROBLEM_TEXT)) expect(text).toMatch(/^the /)
  })
})

describe('cleanRecordingName', () => {
  it('trims spaces of every width and invisible marks at the ends only', () => {
    expect(cleanRecordingName('  1.wav\t')).toBe('1.wav')
    expect(cleanRecordingName('\u30001.wav\u00a0')).toBe('1.wav')
    expect(cleanRecordingName('\u202d1.wav\u202c')).toBe('1.wav')
    expect(cleanRecordingName('\u200b 1.wav \u200e ')).toBe('1.wav')
    expect(cleanRecordingName('\ufeff1.wav')).toBe('1.wav')
    expect(cleanRecordingName('1\u200b.wav')).toBe('1\u200b.wav')
    expect(cleanRecordingName(' \u200b ')).toBe('')
  })
})
