import { CccError } from '../../common/errors.ts'

/** What CCC's gateway puts in every reply body, success or error. */
interface RpcEnvelope {
  RequestId?: string
  Success?: boolean
  Code?: string
  Message?: string
  HttpStatusCode?: number
}

function xmlField(body: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1]
}

/** A reply that is not a success, as a CccError classified by HTTP status and body `Code` together. */
function errorFrom(status: number, envelope: RpcEnvelope): CccError {
  const code = envelope.Code || fallbackCode(status)
  const message = envelope.Message || `HTTP ${status}`
  return new CccError({
    code,
    message,
    status: envelope.HttpStatusCode ?? status,
    ...(envelope.RequestId ? { requestId: envelope.RequestId } : {}),
  })
}

function fallbackCode(status: number): string {
  // CCC's gateway names every refusal; a bare 404 is a host or path that is not the gateway.
  if (status === 404) return 'Api.WrongEndpoint'
  // A proxy that wants credentials refuses every call alike: one stop, not a file failed per call.
  if (status === 407) return 'Network.ProxyAuth'
  // Too many requests, said by a proxy or a gateway in front of CCC's: slow down, as for CCC's own.
  if (status === 429) return 'Throttling'
  if (status === 503) return 'ServiceUnavailable'
  if (status >= 500) return 'InternalError'
  // A success that is not CCC's JSON: a captive portal's or a proxy's page, often gone on the next try.
  if (status >= 200 && status < 300) return 'Api.NotJson'
  return 'Http.Unexpected'
}

/**
 * Parses a CCC reply body. JSON is what we ask for; an XML body (the gateway's default, or a
 * proxy's error page) is still read for its Code so the user sees the real reason.
 */
export function parseReply(status: number, body: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    const code = xmlField(body, 'Code')
    const requestId = xmlField(body, 'RequestId')
    throw errorFrom(status, {
      ...(code ? { Code: code } : {}),
      Message: xmlField(body, 'Message') ?? `HTTP ${status}: the reply was not JSON`,
      ...(requestId ? { RequestId: requestId } : {}),
    })
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw errorFrom(status, { Message: `HTTP ${status}: the reply was not a JSON object` })
  }
  const envelope = parsed as RpcEnvelope
  const failed = status >= 300 || envelope.Success === false || (envelope.Code !== undefined && envelope.Code !== 'OK')
  if (failed) throw errorFrom(status >= 300 ? status : (envelope.HttpStatusCode ?? status), envelope)
  return parsed as Record<string, unknown>
}

/**
 * DownloadRecording's SignatureUrl arrives wrapped in an extra pair of double quotes (see the seed
 * document: `""http://…""`); strip them when present, accept the URL without them too.
 */
export function unquoteUrl(raw: string): string {
  return raw.trim().replace(/^"+|"+$/g, '').trim()
}
