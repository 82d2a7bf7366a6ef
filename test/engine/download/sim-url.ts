import { encodeParams, signedParams } from '../../../main/engine/ccc/sign.ts'
import type { Sim } from '../../sim/index.ts'

/**
 * A presigned URL from the simulator's DownloadRecording, through the real signer: the
 * downloader's tests need URLs, not the CCC client (tested on its own).
 */
export async function signedUrlFor(sim: Sim, fileName: string): Promise<string> {
  const params = signedParams(
    'POST',
    'DownloadRecording',
    { InstanceId: sim.instanceId, FileName: fileName },
    { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret },
    new Date(),
  )
  const res = await fetch(`${sim.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeParams(params),
  })
  const body = (await res.json()) as { Code?: string; MediaDownloadParam?: { SignatureUrl?: string } }
  const quoted = body.MediaDownloadParam?.SignatureUrl
  if (!res.ok || !quoted) throw new Error(`DownloadRecording failed: ${res.status} ${body.Code}`)
  return quoted.replace(/^"(.*)"$/, '$1')
}
