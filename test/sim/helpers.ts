import { encodeParams, signature, signedParams, type RpcMethod } from '../../main/engine/ccc/sign.ts'
import type { Sim } from './index.ts'

/** Test-side client of the simulator: plain fetch plus the engine's signer. */

export interface CallOptions {
  method?: RpcMethod
  secret?: string
  accessKeyId?: string
  securityToken?: string
  now?: Date
  nonce?: string
  /** Edits the parameters before signing (drop Format, bend Timestamp…). */
  edit?: (params: Record<string, string>) => void
  /** false: send without a Signature. */
  sign?: boolean
}

export function call(sim: Sim, action: string, actionParams: Record<string, string>, opts: CallOptions = {}): Promise<Response> {
  const method = opts.method ?? 'POST'
  const credentials = {
    accessKeyId: opts.accessKeyId ?? sim.accessKeyId,
    accessKeySecret: opts.secret ?? sim.accessKeySecret,
    ...(opts.securityToken === undefined ? {} : { securityToken: opts.securityToken }),
  }
  const params = signedParams(method, action, actionParams, credentials, opts.now ?? new Date(), opts.nonce)
  delete params.Signature
  opts.edit?.(params)
  if (opts.sign !== false) params.Signature = signature(method, params, credentials.accessKeySecret)
  const encoded = encodeParams(params)
  if (method === 'GET') return fetch(`${sim.endpoint}/?${encoded}`)
  return fetch(`${sim.endpoint}/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: encoded,
  })
}

export function downloadRecording(sim: Sim, fileName: string, opts: CallOptions = {}): Promise<Response> {
  return call(sim, 'DownloadRecording', { InstanceId: sim.instanceId, FileName: fileName }, opts)
}

/** The presigned URL from DownloadRecording, its extra quotes stripped. */
export async function signedUrl(sim: Sim, fileName: string, opts: CallOptions = {}): Promise<string> {
  const res = await downloadRecording(sim, fileName, opts)
  const body = (await res.json()) as { MediaDownloadParam?: { SignatureUrl?: string } }
  const url = body.MediaDownloadParam?.SignatureUrl
  if (res.status !== 200 || !url) throw new Error(`DownloadRecording failed: ${res.status} ${JSON.stringify(body)}`)
  return url.replace(/^"(.*)"$/, '$1')
}

export async function errorCode(res: Response): Promise<{ status: number; code: string }> {
  const body = (await res.json()) as { Code?: string }
  return { status: res.status, code: body.Code ?? '' }
}

/** Reads a body until it ends or fails, keeping what arrived. */
export async function readAll(res: Response): Promise<{ bytes: Buffer; error?: unknown }> {
  const chunks: Uint8Array[] = []
  const reader = res.body?.getReader()
  if (!reader) return { bytes: Buffer.alloc(0) }
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { bytes: Buffer.concat(chunks) }
      chunks.push(value)
    }
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error }
  }
}
