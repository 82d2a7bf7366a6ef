import { describe, expect, it } from 'vitest'
import { columnKeys, metaFromRow, readSeconds, readTime } from '../../../main/engine/calls/csv-meta.ts'
import { keepFiltered } from '../../../main/engine/calls/filters.ts'

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
      // The row's one time and length are the call's too: the manifest's call columns are filled.
      callStart: Date.parse('2026-03-05T01:02:03+08:00'),
      callDuration: 95,
    })
    expect(meta.columns).toEqual(Object.fromEntries(header.map((h, i) => [h, row[i]])))
  })

  it('keeps a cell Excel reformatted as text, and says which column it was; an empty agent is named too', () => {
    const { meta, warnings } = metaFromRow(['FileName', 'StartTime', 'Agent'], ['a.wav', '05-Mar', ''])
    expect(meta.start).toBeUndefined()
    expect(meta.columns).toEqual({ FileName: 'a.wav', StartTime: '05-Mar' })
    expect(meta.agentName).toBeUndefined()
    expect(warnings).toEqual([
      expect.objectContaining({ column: 'StartTime', value: '05-Mar' }),
      expect.objectContaining({ column: 'Agent', value: '', why: expect.stringMatching(/empty/) }),
    ])
  })

  it('takes an impossible date or duration for malformed, not for the day or length it rolls over to', () => {
    const header = ['录音文件名', '开始时间', '通话时长']
    for (const [start, duration] of [['2026-02-30 01:02:03', '1:75'], ['2026-04-31 10:00', '1:60:00']] as const) {
      const { meta, warnings } = metaFromRow(header, ['a.wav', start, duration])
      expect(meta.start).toBeUndefined()
      expect(meta.duration).toBeUndefined()
      expect(meta.columns).toEqual({ 录音文件名: 'a.wav', 开始时间: start, 通话时长: duration })
      expect(warnings).toEqual([expect.objectContaining({ column: '开始时间', value: start }), expect.objectContaining({ column: '通话时长', value: duration })])
    }
  })

  it('reads the direction words consoles write as the API names them, so --direction finds them', () => {
    const rows = [['a.wav', '呼入'], ['b.wav', '呼出'], ['c.wav', '内部'], ['d.wav', '内线'], ['e.wav', '呼入电话'], ['f.wav', '外呼'], ['g.wav', '来电'], ['h.wav', '去电'], ['i.wav', 'INBOUND'], ['j.wav', 'out']]
    const read = rows.map((row) => metaFromRow(['录音文件名', '呼叫类型'], row))
    expect(read.flatMap((r) => r.warnings)).toEqual([])
    expect(read.map((r) => r.meta.direction)).toEqual(['Inbound', 'Outbound', 'Internal', 'Internal', 'Inbound', 'Outbound', 'Inbound', 'Outbound', 'Inbound', 'Outbound'])
    expect(read[0]!.meta.columns).toEqual({ 录音文件名: 'a.wav', 呼叫类型: '呼入' })
    const kept = keepFiltered(rows.map((r) => r[0]!), read.map((r) => r.meta), { direction: 'inbound' })
    expect(kept.names).toEqual(['a.wav', 'e.wav', 'g.wav', 'i.wav'])
  })

  it('keeps a direction it does not know as it is, and says which row has it', () => {
    const { meta, warnings } = metaFromRow(['录音文件名', '呼叫类型'], ['a.wav', '转接'])
    expect(meta.direction).toBe('转接')
    expect(warnings).toEqual([expect.objectContaining({ column: '呼叫类型', value: '转接', why: expect.stringMatching(/not a direction/) })])
  })

  it('says which number Excel shortened to scientific notation, and keeps its text', () => {
    const { meta, warnings } = metaFromRow(['录音文件名', '主叫号码', '被叫号码', '备注'], ['a.wav', '1.38E+10', '1.38001e+10', ''])
    expect(meta).toMatchObject({ caller: '1.38E+10', callee: '1.38001e+10' })
    expect(warnings).toEqual([
      expect.objectContaining({ column: '主叫号码', value: '1.38E+10', why: expect.stringMatching(/scientific notation/) }),
      expect.objectContaining({ column: '被叫号码', value: '1.38001e+10' }),
    ])
    // A number written out, and an empty cell under a header that is no agent's, are no news.
    expect(metaFromRow(['录音文件名', '主叫号码', '备注'], ['a.wav', '13800138000', '']).warnings).toEqual([])
  })

  it('warns once for a row without an agent, not for one that has its name or its ID', () => {
    const header = ['录音文件名', '坐席', '工号']
    expect(metaFromRow(header, ['a.wav', '', '']).warnings).toEqual([expect.objectContaining({ column: '坐席', value: '' })])
    expect(metaFromRow(header, ['a.wav']).warnings).toHaveLength(1)
    expect(metaFromRow(header, ['a.wav', '', '1001']).warnings).toEqual([])
    expect(metaFromRow(header, ['a.wav', '张三', '']).warnings).toEqual([])
  })

  it('keeps every column of a header with a repeated or an empty cell, each under its own key', () => {
    const header = ['file_name', '坐席', '坐席', '', 'caller']
    const { meta } = metaFromRow(header, ['a1.wav', '张三', '1001', 'orphan', '13800138000'])
    expect(meta.columns).toEqual({ file_name: 'a1.wav', 坐席: '张三', '坐席 (2)': '1001', 'column 4': 'orphan', caller: '13800138000' })
    expect(meta.agentName).toBe('张三')
    // A key made up for one column never takes another's own header.
    expect(columnKeys(['a', 'a', 'a (2)', '', 'column 4', 'a'])).toEqual(['a', 'a (3)', 'a (2)', 'column 4 (2)', 'column 4', 'a (4)'])
  })

  it.each([
    ['1772643723000', 1772643723000],
    ['1772643723', 1772643723000],
    ['2026/3/5 1:02', Date.parse('2026-03-05T01:02:00+08:00')],
    ['2026年3月5日 01:02:03', Date.parse('2026-03-05T01:02:03+08:00')],
    ['2026-03-04T17:02:03Z', Date.parse('2026-03-04T17:02:03Z')],
    ['tomorrow', null],
    ['2026-02-30 01:02:03', null],
    ['2026-04-31 10:00', null],
    ['2026-03-05 24:00:00', null],
    ['2024-02-29 10:00', Date.parse('2024-02-29T10:00:00+08:00')],
  ])('reads the time %j', (text, ms) => {
    expect(readTime(text)).toBe(ms)
  })

  it('reads durations in seconds or h:mm:ss', () => {
    expect(readSeconds('95')).toBe(95)
    expect(readSeconds('1:35')).toBe(95)
    expect(readSeconds('01:01:35')).toBe(3695)
    expect(readSeconds('a while')).toBeNull()
    expect(readSeconds('75:30')).toBe(4530)
    expect(readSeconds('1:75')).toBeNull()
    expect(readSeconds('0:01:60')).toBeNull()
    expect(readSeconds('1:60:00')).toBeNull()
    expect(readSeconds('1:59:59')).toBe(7199)
  })
})
