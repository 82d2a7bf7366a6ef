import { describe, expect, it } from 'vitest'
import { terminalSafe } from '../../main/common/terminal-text.ts'

const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J'

describe('terminalSafe', () => {
  it('shows escape sequences, BEL, DEL and C1 instead of running them', () => {
    expect(terminalSafe(`bad ${HOSTILE} end`)).toBe('bad \\u001b]0;pwned\\u0007\\u001b[2J end')
    expect(terminalSafe('a\u007fb\u009b2Jc\u0000')).toBe('a\\u007fb\\u009b2Jc\\u0000')
    expect(terminalSafe('name\u202egnp.exe')).toBe('name\\u202egnp.exe')
    expect(terminalSafe(`x${HOSTILE}`)).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/)
  })

  it('keeps line feeds only when asked, and tabs and ordinary text always', () => {
    expect(terminalSafe('one\ntwo\r\n')).toBe('one\\u000atwo\\u000d\\u000a')
    expect(terminalSafe('one\ntwo\r\n', { newlines: true })).toBe('one\ntwo\\u000d\n')
    expect(terminalSafe('a\tb 通话录音不存在 ☎')).toBe('a\tb 通话录音不存在 ☎')
  })

  it('keeps a JSON text valid and meaning the same', () => {
    const json = JSON.stringify({ message: `m\u0085${HOSTILE}` })
    expect(JSON.parse(terminalSafe(json))).toEqual({ message: `m\u0085${HOSTILE}` })
  })
})
