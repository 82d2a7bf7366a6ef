import type { Hash } from 'node:crypto'
import { CccError } from '../../common/errors.ts'
import { truncatedError } from './oss-errors.ts'
import type { PartFile } from './part-file.ts'
import type { BodyReply } from './request.ts'
import type { StreamOutcome } from './stream-body.ts'
import type { TransferWatch } from './transfer-watch.ts'
import { crc64Matches, judgeBody, md5Matches } from './verify.ts'

/**
 * After the body: returns when the `.part` is the object, ready to commit. Otherwise throws: a
 * stop (abort, timeout) or a truncation keeps the `.part` for a Range resume; a corrupt file is
 * dropped, since resuming it would only keep the bad bytes (verify.ts judgeBody).
 */
export async function judgeDownload(streamed: StreamOutcome, reply: BodyReply, part: PartFile, md5: Hash | undefined, watch: TransferWatch): Promise<void> {
  const { size } = part
  const { total } = reply
  if (streamed.kind === 'cut') {
    const stop = watch.stopped()
    if (stop) throw stop
    // Every promised byte arrived before the connection broke: judge the file as usual.
    if (total === undefined || size !== total) throw truncatedError(size, total, streamed.failure)
  }
  const verdict =
    streamed.kind === 'overflow'
      ? 'corrupt'
      : judgeBody({
          size,
          total,
          crc64: crc64Matches(reply.crc64, part.crc64),
          md5: md5 && reply.contentMd5 ? md5Matches(reply.contentMd5, md5.digest()) : undefined,
        })
  if (verdict === 'truncated') throw truncatedError(size, total)
  if (verdict === 'corrupt') {
    await part.drop()
    throw new CccError({
      code: 'ChecksumMismatch',
      message:
        streamed.kind === 'overflow'
          ? `Recording storage sent more than the ${total} bytes it announced`
          : `The downloaded file (${size} bytes) failed its CRC-64/MD5 check`,
    })
  }
}
