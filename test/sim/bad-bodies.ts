import type { ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'
import type { SimFaultKind } from './types.ts'

/**
 * What answers a GET when something between the client and OSS does (issue 17 item 2): a captive
 * portal's login page, an XML error with status 200, or a proxy that gzipped the body although
 * identity was asked. All of them 200 with a Content-Length, none with the object's checksum
 * except the gzip (a proxy keeps the origin's headers): length alone cannot tell them apart.
 */
export const BAD_BODY_FAULTS: ReadonlySet<SimFaultKind> = new Set(['html-body', 'xml-body', 'gzip-body'])

export const PORTAL_PAGE = '<!DOCTYPE html>\n<html><head><title>Wi-Fi login</title></head><body><form action="/login">Accept the terms</form></body></html>\n'
const XML_ERROR = '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>AccessDenied</Code>\n  <Message>Blocked by policy</Message>\n</Error>\n'

export function sendBadBody(res: ServerResponse, kind: SimFaultKind, whole: () => Buffer, crc64: string): void {
  const headers: Record<string, string | number> = { Server: 'portal' }
  let body: Buffer
  if (kind === 'gzip-body') {
    body = gzipSync(whole())
    Object.assign(headers, { 'Content-Type': 'audio/wav', 'Content-Encoding': 'gzip', 'x-oss-hash-crc64ecma': crc64 })
  } else if (kind === 'html-body') {
    body = Buffer.from(PORTAL_PAGE)
    headers['Content-Type'] = 'text/html; charset=utf-8'
  } else {
    body = Buffer.from(XML_ERROR)
    // A proxy that does not say what it sends: only the bytes tell.
    headers['Content-Type'] = 'application/octet-stream'
  }
  headers['Content-Length'] = body.length
  res.writeHead(200, headers)
  res.end(body)
}
