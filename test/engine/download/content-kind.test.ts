import { describe, expect, it } from 'vitest'
import { isDocumentType, looksLikeRecording, refusedEncoding } from '../../../main/engine/download/content-kind.ts'

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))))
const headers = (h: Record<string, string>) => ({ get: (k: string) => h[k.toLowerCase()] ?? null })

describe('looksLikeRecording', () => {
  const wav = bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt ')
  const ebml = bytes([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0])
  const id3 = bytes('ID3', [4, 0, 0, 0, 0, 0])
  const frame = bytes([0xff, 0xfb, 0x90, 0x64])

  it('wants the kind the extension names', () => {
    expect(looksLikeRecording('a.wav', wav)).toBe(true)
    expect(looksLikeRecording('a.WAV', wav)).toBe(true)
    expect(looksLikeRecording('a.wav', ebml)).toBe(false)
    expect(looksLikeRecording('a.mkv', ebml)).toBe(true)
    expect(looksLikeRecording('a.webm', ebml)).toBe(true)
    expect(looksLikeRecording('a.mkv', wav)).toBe(false)
    expect(looksLikeRecording('a.mp3', id3)).toBe(true)
    expect(looksLikeRecording('a.mp3', frame)).toBe(true)
  })

  it('takes any recording format for another extension, never text', () => {
    expect(looksLikeRecording('a~1234abcd', wav)).toBe(true)
    expect(looksLikeRecording('a.bin', ebml)).toBe(true)
    expect(looksLikeRecording('a.bin', bytes('<!DOCTYPE html>'))).toBe(false)
    expect(looksLikeRecording('a.wav', bytes('<?xml version'))).toBe(false)
    expect(looksLikeRecording('a.wav', bytes(''))).toBe(false)
  })
})

describe('isDocumentType and refusedEncoding', () => {
  it('knows a page or a document from a recording', () => {
    for (const t of ['text/html', 'text/html; charset=utf-8', 'TEXT/PLAIN', 'application/xml', 'application/xhtml+xml', 'application/json']) {
      expect(isDocumentType(t)).toBe(true)
    }
    for (const t of ['audio/wav', 'application/octet-stream', 'video/webm', '', null]) expect(isDocumentType(t)).toBe(false)
  })

  it('refuses any Content-Encoding but identity', () => {
    expect(refusedEncoding(headers({}))).toBeUndefined()
    expect(refusedEncoding(headers({ 'content-encoding': 'identity' }))).toBeUndefined()
    expect(refusedEncoding(headers({ 'content-encoding': ' GZIP ' }))).toBe('gzip')
    expect(refusedEncoding(headers({ 'content-encoding': 'br' }))).toBe('br')
  })
})
