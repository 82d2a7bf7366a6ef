import { once } from 'node:events'
import type { ServerResponse } from 'node:http'
import type { RpcError } from './rpc-types.ts'
import { escapeXml, toXml } from './xml.ts'

const MARK = '\u0000message\u0000'
const CHUNK_BYTES = 64 * 1024

/**
 * An error reply whose Message is `err.message` repeated to `err.messageBytes` bytes, written
 * chunked as the client reads it: a hostile or broken server's 200 MB error, without the
 * simulator (or the test process it runs in) ever holding 200 MB. Resolves with the message
 * bytes written, and whether the client read them all.
 */
export async function streamHugeError(res: ServerResponse, err: RpcError, body: Record<string, unknown>, json: boolean): Promise<{ sent: number; complete: boolean }> {
  const shell = json ? JSON.stringify({ ...body, Message: MARK }) : toXml('Error', { ...body, Message: MARK })
  const markAt = shell.indexOf(json ? JSON.stringify(MARK).slice(1, -1) : escapeXml(MARK))
  const markLength = json ? JSON.stringify(MARK).length - 2 : MARK.length
  const unit = (json ? JSON.stringify(err.message).slice(1, -1) : escapeXml(err.message)) || 'x'
  const chunk = Buffer.from(unit.repeat(Math.max(1, Math.floor(CHUNK_BYTES / Buffer.byteLength(unit)))))
  res.writeHead(err.status, { 'Content-Type': json ? 'application/json;charset=utf-8' : 'text/xml;charset=utf-8' })
  res.write(shell.slice(0, markAt))
  const total = err.messageBytes ?? 0
  let left = total
  while (left > 0 && !res.destroyed) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left)
    left -= piece.length
    if (!res.write(piece)) await Promise.race([once(res, 'drain'), once(res, 'close')])
  }
  if (res.destroyed) return { sent: total - left, complete: false }
  res.end(shell.slice(markAt + markLength))
  return { sent: total, complete: true }
}
