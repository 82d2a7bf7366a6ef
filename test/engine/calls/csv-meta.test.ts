import { describe, expect, it } from 'vitest'
import { metaFromRow, readSeconds, readTime } from '../../../main/engine/calls/csv-meta.ts'

describe('CSV rows as call metadata', () => {
  it('keeps every column, and fills the call model from the headers a console writes', () => {
    const header = ['话务ID', '录音文件名', '主叫号码', '被叫号码', '坐席', '技能组', '开始时间', '通话时长', '客户等级']
    const row = ['job-1', 'a.wav', '02188880000', '13800138000', '张三', '售后,投诉', '2026-03-05 01:02:03', '00:01:35', 'VIP']
    const { meta, warnings } = metaFromRow(header, row)
    expect(warnings).toEqual([])
    expect(meta).toMatchObject({
      contactId: 'job-1',
      caller: '02188880000',
      callee: '13800138000',
      agentName: '张三',
      skillGroups: ['售后', '投诉'],
      start: Date.parse('2026-03-05T01:02:03+08:00'),
      duration: 95,
    })
    expect(meta.columns).toEqual(Object.fromEntries(header.map((h, i) => [h, row[i]])))
  })

  it('keeps a cell Excel reformatted as text, and says which column it was', () => {
    const { meta, warnings } = metaFromRow(['FileName', 'StartTime', 'Agent'], ['a.wav', '05-Mar', ''])
    expect(meta.start).toBeUndefined()
    expect(meta.columns).toEqual({ FileName: 'a.wav', StartTime: '05-Mar' })
    expect(meta.agentName).toBeUndefined()
    expect(warnings).toEqual([expect.objectContaining({ column: 'StartTime', value: '05-Mar' })])
  })

  it.each([
    ['1772643723000', 1772643723000],
    ['1772643723', 1772643723000],
    ['2026/3/5 1:02', Date.parse('2026-03-05T01:02:00+08:00')],
    ['2026年3月5日 01:02:03', Date.parse('2026-03-05T01:02:03+08:00')],
    ['2026-03-04T17:02:03Z', Date.parse('2026-03-04T17:02:03Z')],
    ['tomorrow', null],
  ])('reads the time %j', (text, ms) => {
    expect(readTime(text)).toBe(ms)
  })

  it('reads durations in seconds or h:mm:ss', () => {
    expect(readSeconds('95')).toBe(95)
    expect(readSeconds('1:35')).toBe(95)
    expect(readSeconds('01:01:35')).toBe(3695)
    expect(readSeconds('a while')).toBeNull()
  })
})
