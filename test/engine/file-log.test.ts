import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { registerSecret } from '../../main/common/redact.ts'
import { fileLogSink } from '../../main/engine/file-log.ts'

// A scheduled sync's log also takes the lines the CLI printed, which no logger redacted.
it('redacts every line it writes, whoever wrote it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'file-log-'))
  try {
    const secret = 'FileLogSecretValue0123456789'
    registerSecret(secret)
    const log = fileLogSink(join(dir, 'sync.log'), () => new Date('2026-12-05T00:00:00Z'))
    log('info', `sync failed: the server said ${secret} and https://b.oss-cn-shanghai.aliyuncs.com/k.wav?OSSAccessKeyId=LTAI&Signature=abc`)
    const text = await readFile(join(dir, 'sync.log'), 'utf8')
    expect(text).not.toContain(secret)
    expect(text).not.toContain('Signature=abc')
    expect(text).toBe('2026-12-05T00:00:00.000Z info sync failed: the server said <redacted> and https://b.oss-cn-shanghai.aliyuncs.com/k.wav?<redacted>\n')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
