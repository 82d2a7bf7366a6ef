import { CccError } from '../../common/errors.ts'

/**
 * The most of a CCC API reply we read. A real reply is a few KB (a page of 100 call records is
 * about 200 KB); anything past this is a proxy's page or a broken or hostile server, and reading
 * it whole once took the CLI to 1.5 GB.
 */
export const MAX_REPLY_BYTES = 1024 * 1024

/** The reply was larger than MAX_REPLY_BYTES: read no further, and say so by its own code. */
export class ReplyTooLargeError extends CccError {
  declare readonly code: 'Api.ReplyTooLarge'

  constructor(action: string, status: number, limit: number) {
    super({ code: 'Api.ReplyTooLarge', message: `${action}: the reply (HTTP ${status}) is larger than ${limit} bytes; not read further`, status })
    this.name = 'ReplyTooLargeError'
  }
}

/**
 * The body as text, read as a stream and given up on past `limit` bytes (a declared
 * Content-Length past it is refused before a byte is read). Cancelling the body lets the
 * transport drop the connection instead of draining it.
 */
export async function readCappedText(res: Response, action: string, limit = MAX_REPLY_BYTES): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN)
  if (declared > limit) {
    await res.body?.cancel().catch(() => undefined)
    throw new ReplyTooLargeError(action, res.status, limit)
  }
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      throw new ReplyTooLargeError(action, res.status, limit)
    }
    chunks.push(value)
  }
  return new TextDecoder().decode(Buffer.concat(chunks))
}
