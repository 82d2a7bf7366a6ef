import { afterEach, describe, expect, it } from 'vitest'
import { duration, explain, setLocale, t, tn } from '../../../renderer/state/locale.svelte.ts'

afterEach(() => setLocale('en'))

describe('locale', () => {
  it('counts with the singular for one and grouping for many', () => {
    setLocale('en')
    expect(tn('failures.count', 1)).toBe('1 file')
    expect(tn('failures.count', 1200)).toBe('1,200 files')
    expect(tn('failures.retried', 1, { code: 'Network' })).toBe('1 file with Network is queued again.')
    setLocale('zh-CN')
    expect(tn('failures.count', 2)).toBe('2 个文件')
  })

  it('writes durations in the current language', () => {
    setLocale('en')
    expect(duration(3725)).toBe('1 h 2 min')
    expect(duration(42)).toBe('42 s')
    setLocale('zh-CN')
    expect(duration(125)).toBe('2 分 5 秒')
    expect(t('nav.settings')).toBe('设置')
  })

  it('explains codes from the shared catalog, with a generic entry for unknown ones', () => {
    setLocale('zh-CN')
    expect(explain('DiskFull')).toEqual({ known: true, meaning: '磁盘空间不足', action: '腾出磁盘空间或换一个输出文件夹，然后继续。' })
    expect(explain('Throttling.Brand.New').known).toBe(true)
    expect(explain('Import.NoColumn').known).toBe(false)
  })
})
