import { describe, expect, it } from 'vitest'
import { API_REQUESTS, isAbsolutePath } from '../../main/common/api.ts'

describe('paths in the contract', () => {
  it('takes absolute POSIX and Windows paths, UNC shares included', () => {
    for (const p of ['/x', '/srv/archive', 'C:\\x', 'c:/x', 'D:\\录音\\三月', '\\\\server\\share\\x', '\\\\?\\C:\\long', '//server/share']) {
      expect(isAbsolutePath(p), p).toBe(true)
    }
  })

  it("refuses relative and drive-relative paths: they would resolve against the main process's folder", () => {
    for (const p of ['relative/dir', 'out', './x', '../x', 'C:x', 'C:', '\\x', '\\\\server', '~/x', '/x\0y']) {
      expect(isAbsolutePath(p), p).toBe(false)
    }
  })

  it('refuses a relative outDir, open path or list file before any handler sees it', () => {
    expect(API_REQUESTS['export:start'].safeParse({ token: 't', profile: 'p', outDir: 'relative/dir' }).success).toBe(false)
    expect(API_REQUESTS['export:start'].safeParse({ token: 't', profile: 'p', outDir: 'C:\\exports\\march' }).success).toBe(true)
    expect(API_REQUESTS['shell:openPath'].safeParse({ path: 'calc.exe' }).success).toBe(false)
    expect(API_REQUESTS['import:preview'].safeParse({ source: { kind: 'file', path: 'names.csv' } }).success).toBe(false)
    expect(API_REQUESTS['settings:set'].safeParse({ outputDir: 'exports' }).success).toBe(false)
  })
})
