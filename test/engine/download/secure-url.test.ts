import { describe, expect, it } from 'vitest'
import { secureUrl } from '../../../main/engine/download/secure-url.ts'

const signed =
  'http://cloudcallcenter-online.oss-cn-shanghai.aliyuncs.com/record/9cfad875-6260-4a53-ab6e-b13e3fb31f7d/153128491143400080327683.wav?Expires=1531401364&OSSAccessKeyId=LTAIvKWEr4DoFSqz&Signature=ktGp7huo71JFYcxiVYMZmygsXmE%3D'

describe('secureUrl', () => {
  it('upgrades an OSS URL to https and leaves the signed query byte for byte', () => {
    expect(secureUrl(signed)).toBe(`https${signed.slice('http'.length)}`)
  })

  it('upgrades any *.aliyuncs.com host, whatever its case or a trailing dot', () => {
    expect(secureUrl('HTTP://Bucket.OSS-cn-hangzhou.AliyunCS.com/a%20b.wav?x=%2B')).toBe(
      'https://Bucket.OSS-cn-hangzhou.AliyunCS.com/a%20b.wav?x=%2B',
    )
    expect(secureUrl('http://b.oss-cn-beijing.aliyuncs.com./k')).toBe('https://b.oss-cn-beijing.aliyuncs.com./k')
  })

  it('drops an explicit :80, which would otherwise mean TLS on port 80', () => {
    expect(secureUrl('http://b.oss-cn-shanghai.aliyuncs.com:80/k?Signature=a')).toBe(
      'https://b.oss-cn-shanghai.aliyuncs.com/k?Signature=a',
    )
  })

  it('leaves other hosts, look-alikes and https alone', () => {
    for (const url of [
      'http://127.0.0.1:4000/record/i/x.wav?Signature=a',
      'http://aliyuncs.com.evil.example/x',
      'http://evilaliyuncs.com/x',
      'http://b.oss-cn-shanghai.aliyuncs.com.evil.example/x',
      'https://b.oss-cn-shanghai.aliyuncs.com/x',
      'ftp://b.oss-cn-shanghai.aliyuncs.com/x',
      'not a url',
    ]) {
      expect(secureUrl(url), url).toBe(url)
    }
  })

  it('judges the real host, not user-info that looks like one', () => {
    expect(secureUrl('http://b.aliyuncs.com@evil.example/x')).toBe('http://b.aliyuncs.com@evil.example/x')
    expect(secureUrl('http://evil.example@b.oss-cn-shanghai.aliyuncs.com/x')).toBe(
      'https://evil.example@b.oss-cn-shanghai.aliyuncs.com/x',
    )
  })
})
