import { describe, expect, it } from 'vitest'
import { updateText } from '../../main/electron/update-text.ts'

const EN = ['Restart and install', 'Install when I quit', 'Not now']
const ZH = ['重启并安装', '退出时安装', '以后再说']

describe('the update question’s words', () => {
  it('follow the language picked in Settings over the OS’s', () => {
    expect(updateText('en', 'zh-Hans-CN', '0.2.0').buttons).toEqual(EN)
    expect(updateText('zh-CN', 'en-US', '0.2.0').buttons).toEqual(ZH)
  })

  it('follow the OS only while Settings says "system", any Chinese locale meaning Chinese', () => {
    for (const os of ['zh-CN', 'zh-Hans-CN', 'zh_TW', 'zh']) expect(updateText('system', os, '0.2.0').buttons, os).toEqual(ZH)
    for (const os of ['en-US', 'ja-JP', '']) expect(updateText('system', os, '0.2.0').buttons, os).toEqual(EN)
  })

  it('name the version, and in Chinese use the product’s Chinese name', () => {
    expect(updateText('en', 'en-US', '1.4.0')).toEqual({
      title: 'Update ready',
      message: 'CCC Recordings 1.4.0 is ready to install.',
      detail: 'An export in progress is paused, and continues when the app starts again.',
      buttons: EN,
    })
    const zh = updateText('zh-CN', 'en-US', '1.4.0')
    expect(zh.message).toBe('CCC 录音下载 1.4.0 已下载完毕，可以安装。')
    expect(zh.title).toBe('更新已就绪')
  })
})
