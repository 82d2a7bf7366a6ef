import { describe, expect, it } from 'vitest'
import { absolutePath } from '../../../renderer/state/file-view.svelte.ts'

describe('a row’s file as the shell wants it', () => {
  it('joins the journal’s relative path to the export folder with the folder’s own separator', () => {
    expect(absolutePath('/home/u/Recordings', '2026-03/张三/a.wav')).toBe('/home/u/Recordings/2026-03/张三/a.wav')
    expect(absolutePath('/home/u/Recordings/', 'a.wav')).toBe('/home/u/Recordings/a.wav')
    expect(absolutePath('D:\\录音\\三月', '2026-03/张三/a.wav')).toBe('D:\\录音\\三月\\2026-03\\张三\\a.wav')
  })

  it('keeps a path that is whole already', () => {
    expect(absolutePath('/home/u/R', '/picked/folder/a.wav')).toBe('/picked/folder/a.wav')
    expect(absolutePath('D:\\R', 'E:\\other\\a.wav')).toBe('E:\\other\\a.wav')
  })
})
