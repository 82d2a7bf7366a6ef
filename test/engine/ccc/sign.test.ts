import { describe, expect, it } from 'vitest'
import { canonicalQuery, percentEncode, rpcTimestamp, signature, signedParams, stringToSign } from '../../../main/engine/ccc/sign.ts'

// ccc-api.md §1: the official ECS vector.
const ecs = {
  AccessKeyId: 'testid',
  Action: 'DescribeRegions',
  Format: 'XML',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  SignatureVersion: '1.0',
  Timestamp: '2016-02-23T12:46:24Z',
  Version: '2014-05-26',
}

// ccc-api.md §1: awkward characters, checked against @alicloud/pop-core.
const awkward = {
  AccessKeyId: 'LTAI5tFakeHoldoutKey',
  Action: 'DownloadRecording',
  FileName: "a b*c~d+e(1)!'中.wav",
  Format: 'JSON',
  InstanceId: '9cfad875-6260-4a53-ab6e-b13e3fb31f7d',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '00000000-0000-4000-8000-000000000000',
  SignatureVersion: '1.0',
  Timestamp: '2026-01-01T00:00:00Z',
  Version: '2017-07-05',
}

describe('RPC signature v1', () => {
  it('builds the official string to sign byte for byte', () => {
    expect(stringToSign('GET', ecs)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    )
  })

  it('matches the official vector for GET and POST', () => {
    expect(signature('GET', ecs, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=')
    expect(signature('POST', ecs, 'testsecret')).toBe('MxbnVAM4w6sft9xjVpe/GCKueuk=')
  })

  it('matches the awkward-character vector for GET and POST', () => {
    const secret = 'holdoutSecret/With+Odd=Chars!'
    expect(signature('GET', awkward, secret)).toBe('l7X3U45jq4LuSMAB2Bmgz0xXDSs=')
    expect(signature('POST', awkward, secret)).toBe('CyXgIcRxOWi5l+0zQ3XZqy7Nm6U=')
  })

  it('encodes as RFC 3986: space %20, * %2A, + %2B, ~ kept, UTF-8 upper-case hex', () => {
    expect(percentEncode("a b*c~d+e(1)!'中")).toBe('a%20b%2Ac~d%2Be%281%29%21%27%E4%B8%AD')
  })

  it('leaves Signature out of the canonical query', () => {
    expect(canonicalQuery({ B: '2', A: '1', Signature: 'x' })).toBe('A=1&B=2')
  })

  it('writes timestamps without milliseconds', () => {
    expect(rpcTimestamp(new Date('2026-03-04T05:06:07.890Z'))).toBe('2026-03-04T05:06:07Z')
  })

  it('signs each attempt with its own nonce, and signs the STS token', () => {
    const creds = { accessKeyId: 'id', accessKeySecret: 'secret', securityToken: 'tok' }
    const now = new Date('2026-01-01T00:00:00Z')
    const a = signedParams('POST', 'DownloadRecording', { FileName: 'f.wav' }, creds, now)
    const b = signedParams('POST', 'DownloadRecording', { FileName: 'f.wav' }, creds, now)
    expect(a.SignatureNonce).not.toBe(b.SignatureNonce)
    expect(a.SecurityToken).toBe('tok')
    expect(a.Format).toBe('JSON')
    const { Signature, ...rest } = a
    expect(Signature).toBe(signature('POST', rest, 'secret'))
    expect(signature('POST', { ...rest, SecurityToken: 'other' }, 'secret')).not.toBe(Signature)
  })
})
