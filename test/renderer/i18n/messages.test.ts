import { describe, expect, it } from 'vitest'
import { en } from '../../../renderer/i18n/en.ts'
import { format, MESSAGES, resolveLocale } from '../../../renderer/i18n/translate.ts'
import { zhCN } from '../../../renderer/i18n/zh-CN.ts'

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort()

describe('message files', () => {
  it('have the same keys in zh-CN and en', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort())
  })

  it('use the same placeholders in both languages, and no empty strings', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]))
      expect(en[key].trim(), key).not.toBe('')
      expect(zhCN[key].trim(), key).not.toBe('')
    }
  })

  it('have each `.one` singular, and the key it is the singular of, in both languages', () => {
    const singulars = [...Object.keys(en), ...Object.keys(zhCN)].filter((k) => k.endsWith('.one'))
    expect(singulars.length).toBeGreaterThan(0)
    for (const key of singulars) {
      const base = key.slice(0, -'.one'.length)
      for (const [name, messages] of [['en', en], ['zh-CN', zhCN]] as const) {
        expect(Object.hasOwn(messages, key), `${name} ${key}`).toBe(true)
        expect(Object.hasOwn(messages, base), `${name} ${base}`).toBe(true)
      }
    }
  })

  it('say everything in Chinese but names and examples: a zh-CN text without Chinese is one of these', () => {
    // Product and credential names Alibaba Cloud's own Chinese console keeps in Latin letters,
    // sample input, and each language's name in itself.
    const LATIN_IN_CHINESE = ['profile.accessKeyId', 'profile.secret', 'profiles.sts', 'source.paste.placeholder', 'source.contacts.placeholder', 'language.en']
    const latin = (Object.keys(zhCN) as (keyof typeof zhCN)[]).filter((k) => !/[\u4e00-\u9fff]/.test(zhCN[k]))
    expect(latin.sort()).toEqual([...LATIN_IN_CHINESE].sort())
  })

  it('are really translated: most Chinese strings contain Chinese', () => {
    const keys = Object.keys(en) as (keyof typeof en)[]
    const chinese = keys.filter((k) => /[\u4e00-\u9fff]/.test(zhCN[k]))
    expect(chinese.length / keys.length).toBeGreaterThan(0.85)
    expect(MESSAGES['zh-CN']).toBe(zhCN)
  })
})

describe('format', () => {
  it('fills named placeholders and leaves unknown ones visible', () => {
    expect(format('{done} of {total} done', { done: 3, total: '10' })).toBe('3 of 10 done')
    expect(format('Code: {code}', {})).toBe('Code: {code}')
    expect(format('plain')).toBe('plain')
  })
})

describe('resolveLocale', () => {
  it('follows a Chinese OS locale when set to system, else English; an explicit choice wins', () => {
    expect(resolveLocale('system', 'zh-CN')).toBe('zh-CN')
    expect(resolveLocale('system', 'zh-Hans-CN')).toBe('zh-CN')
    expect(resolveLocale('system', 'zh_TW')).toBe('zh-CN')
    expect(resolveLocale('system', 'en-GB')).toBe('en')
    expect(resolveLocale('system', 'de')).toBe('en')
    expect(resolveLocale('system', '')).toBe('en')
    expect(resolveLocale('en', 'zh-CN')).toBe('en')
    expect(resolveLocale('zh-CN', 'en-US')).toBe('zh-CN')
  })
})
