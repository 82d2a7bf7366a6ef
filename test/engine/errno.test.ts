import { describe, expect, it } from 'vitest'
import { errnoToCccError } from '../../main/engine/errno.ts'

const errno = (code: string) => Object.assign(new Error(`${code}: boom`), { code })

describe('errnoToCccError', () => {
  it('turns a full disk into DiskFull (pause)', () => {
    for (const code of ['ENOSPC', 'EDQUOT']) {
      const e = errnoToCccError(errno(code))
      expect([e?.code, e?.handling], code).toEqual(['DiskFull', 'pause'])
    }
  })

  it('turns a folder we cannot write to into Local.WriteFailed (fatal), keeping the cause', () => {
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG']) {
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
