import type { Hash } from 'node:crypto'
import { CccError } from '../../common/errors.ts'
import { badContent, isDocumentType, looksLikeRecording, unverifiable, type VerifiedBy } from './content-kind.ts'
import { truncatedError } from './oss-errors.ts'
import type { PartFile } from './part-file.ts'
import type { BodyReply } from './request.ts'
import type { StreamOutcome } from './stream-body.ts'
import type { TransferWatch } from './transfer-watch.ts'
import { crc64Matches, judgeBody, md5Matches } from './verify.ts'

/**
 * After the body: returns how the `.part` was shown to be the object, ready to commit. Otherwise
 * throws: a stop (abort, timeout) or a truncation keeps the `.part` for a Range resume; a corrupt
 * or unverifiable file is dropped, since resuming it would only keep the bad bytes (verify.ts judgeBody).
 */
export async function judgeDownload(streamed: StreamOutcome, reply: BodyReply, part: PartFile, md5: Hash | undefined, watch: TransferWatch): Promise<VerifiedBy> {
  const { size } = part
  const { total } = reply
  if (streamed.kind === 'cut') {
    const stop = watch.stopped()
    if (stop) throw stop
    // Every promised byte arrived before the connection broke: judge the file as usual.
    if (total === undefined || size !== total) throw truncatedError(size, total, streamed.failure)
  }
  const crc64 = crc64Matches(reply.crc64, part.crc64)
  const md5Ok = md5 && reply.contentMd5 ? md5Matches(reply.contentMd5, md5.digest()) : undefined
  const verdict = streamed.kind === 'overflow' ? 'corrupt' : judgeBody({ size, total, crc64, md5: md5Ok })
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
  if (crc64 !== undefined) return 'crc64'
  if (md5Ok !== undefined) return 'md5'
  return judgeByLength(reply, part)
}

/**
 * No checksum came with the body: it is taken only when its length was announced and met, and it
 * looks like a recording of the kind its name says. Anything else is dropped (a captive portal's
 * page must not be resumed either) and retried: the portal may be gone on the next try.
 */
async function judgeByLength(reply: BodyReply, part: PartFile): Promise<VerifiedBy> {
  const { size } = part
  let refusal: CccError | undefined
  if (reply.total === undefined) {
    refusal = unverifiable(`Recording storage sent ${size} bytes with neither a checksum nor a length: a cut could not be told from the end`)
  } else if (isDocumentType(reply.contentType)) {
    refusal = badContent(`Recording storage sent a document (${(reply.contentType ?? '').slice(0, 60)}) instead of a recording: a proxy or a login page answered`)
  } else if (!looksLikeRecording(part.dest, await part.head())) {
    refusal = badContent(`The ${size} bytes received without a checksum do not start like a recording: a proxy or a login page answered`)
  }
  if (refusal === undefined) return 'length'
  await part.drop()
  throw refusal
}
