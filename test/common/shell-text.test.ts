import { describe, expect, it } from 'vitest'
import { resolveLocale, SHELL_TEXT, shellText } from '../../main/common/shell-text.ts'
import { notificationText } from '../../main/electron/notify-text.ts'
import { emptyCounts } from '../../main/common/progress.ts'

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort()

describe('shell text', () => {
  it('has the same keys and placeholders in both languages, and Chinese in every zh-CN string', () => {
    expect(Object.keys(SHELL_TEXT['zh-CN']).sort()).toEqual(Object.keys(SHELL_TEXT.en).sort())
    for (const [key, text] of Object.entries(SHELL_TEXT.en)) {
      const zh = SHELL_TEXT['zh-CN'][key as keyof typeof SHELL_TEXT.en]
      expect(placeholders(zh), key).toEqual(placeholders(text))
      expect(zh, key).toMatch(/[\u4e00-\u9fff]/)
      // Latin in a zh-CN shell string is only the product's short name.
      expect(zh.replace(/\{\w+\}/g, '').match(/[A-Za-z]+/g)?.filter((w) => w !== 'CCC') ?? [], key).toEqual([])
    }
  })

  it('follows the UI language: the saved choice, else a Chinese system', () => {
    expect(resolveLocale('system', 'zh_CN')).toBe('zh-CN')
    expect(resolveLocale('system', 'en-US')).toBe('en')
    expect(resolveLocale('en', 'zh-CN')).toBe('en')
    expect(shellText('zh-CN', 'menu.diagnostics')).toBe('导出诊断信息…')
    expect(shellText('zh-CN', 'quit.pause')).toBe('暂停并退出')
  })

  it('words the end-of-export notification in the UI language, named by its folder', () => {
    const p = { id: '/rec/march', state: 'finished' as const, counts: { ...emptyCounts(), done: 8, failed: 2, total: 10 }, bytes: 0, bytesPerSecond: 0, etaSeconds: null, failures: [] }
    expect(notificationText(p, 'zh-CN')).toEqual({ title: '导出完成：march', body: '已下载 8 / 10，2 个失败' })
    expect(notificationText({ ...p, state: 'stopped', counts: { ...p.counts, failed: 0 } }, 'en')).toEqual({ title: 'Export stopped: march', body: '8 of 10 downloaded' })
  })
})
