import { describe, expect, it } from 'vitest'
import { CccError } from '../../main/common/errors.ts'
import { errnoToCccError, toCccError } from '../../main/engine/errno.ts'

const errno = (code: string) => Object.assign(new Error(`${code}: boom`), { code })

describe('errnoToCccError', () => {
  it('turns a full disk into DiskFull (pause)', () => {
    for (const code of ['ENOSPC', 'EDQUOT']) {
      const e = errnoToCccError(errno(code))
      expect([e?.code, e?.handling], code).toEqual(['DiskFull', 'pause'])
    }
  })

  it('turns a folder we cannot write to into Local.WriteFailed (fatal), keeping the cause', () => {
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'EFBIG']) {
      const cause = errno(code)
      const e = errnoToCccError(cause)
      expect([e?.code, e?.handling], code).toEqual(['Local.WriteFailed', 'fatal'])
      expect(e?.message).toContain(code)
      expect(e?.cause).toBe(cause)
    }
  })

  it('names nothing it does not know', () => {
    for (const e of [errno('EIO'), errno('toString'), new Error('plain'), 'text', undefined, null]) {
      expect(errnoToCccError(e)).toBeUndefined()
    }
  })
})

describe('toCccError', () => {
  it('keeps a CccError as it is', () => {
    const e = new CccError({ code: 'Network', message: 'down' })
    expect(toCccError(e)).toBe(e)
  })

  it('maps an errno, and keeps anything else as Unknown with its message and cause', () => {
    expect(toCccError(errno('EDQUOT')).code).toBe('DiskFull')
    const cause = new Error('odd')
    const e = toCccError(cause)
    expect([e.code, e.message, e.cause]).toEqual(['Unknown', 'odd', cause])
    expect(toCccError('text').message).toBe('text')
  })
})
