import { describe, expect, it } from 'vitest'
import { callFromDetail, type RecordingRecord } from '../../../main/engine/calls/call.ts'
import { checkColumns, MISSING, parseTemplate, PRESETS, renderName } from '../../../main/engine/calls/name-template.ts'
import { timeInName } from '../../../main/engine/download/local-path.ts'
import { rejectionOf } from '../../rejection.ts'

// 2026-03-05 01:02:03 in Shanghai is 2026-03-04 17:02:03 UTC.
const AT = Date.UTC(2026, 2, 4, 17, 2, 3)
const call = callFromDetail({
  contactId: 'job-42',
  startTime: AT,
  duration: 95,
  contactType: 'Outbound',
  contactDisposition: 'Success',
  callingNumber: '02188880000',
  calledNumber: '13800138000',
  agentNames: '张三,李四',
  skillGroupNames: '售后服务',
  recordings: [{ fileName: 'a.wav', contactId: 'job-42', startTime: AT, duration: 60, agentId: 'agent1@ccc', agentName: '张三' }],
})
const record = call.recordings[0]!

describe('naming templates', () => {
  it('renders the issue’s example, in China Standard Time by default', () => {
    const t = parseTemplate('{yyyy}-{MM}/{agent}/{date}_{time}_{caller}_{contactId}{ext}')
    expect(renderName(t, record)).toBe('2026-03/张三/2026-03-05_010203_02188880000_job-42.wav')
  })

  it('renders in another IANA zone when asked', () => {
    expect(renderName(parseTemplate('{date} {HH}{mm}{ss}{ext}', 'UTC'), record)).toBe('2026-03-04 170203.wav')
  })

  it('keeps the old layouts as presets', () => {
    expect(renderName(parseTemplate(PRESETS.flat), record)).toBe('a.wav')
    expect(renderName(parseTemplate(PRESETS['by-date']), record)).toBe('2026/03/05/a.wav')
    expect(renderName(parseTemplate(PRESETS['by-agent-date']), record)).toBe('张三/2026/03/05/a.wav')
  })

  it('writes a fixed word for a missing value, never an empty component', () => {
    const bare: RecordingRecord = { fileName: 'x.wav', meta: {} }
    expect(renderName(parseTemplate('{agent}/{caller}_{stem}{ext}'), bare)).toBe(`${MISSING}/${MISSING}_x.wav`)
  })

  it('takes the time from a CCC 1.0 name when the data has none', () => {
    const name = `${AT}00080327683.wav`
    expect(timeInName(name)).toBe(AT)
    expect(renderName(parseTemplate('{date}/{fileName}'), { fileName: name, meta: {} })).toBe(`2026-03-05/${name}`)
    expect(timeInName('99999999999999.wav')).toBeUndefined()
    expect(timeInName('call-1.wav')).toBeUndefined()
    // The same rule as the by-date layout's folders: a name from 1999 is a number, not a time.
    expect(timeInName(`${Date.UTC(1999, 5, 1)}00080327683.wav`)).toBeUndefined()
    expect(renderName(parseTemplate('{date}/{fileName}'), { fileName: 'x.wav', meta: {} })).toBe(`${MISSING}/x.wav`)
    // The preset, unlike `--layout by-date` (unknown-date/), as the README says.
    expect(renderName(parseTemplate(PRESETS['by-date']), { fileName: 'x.wav', meta: {} })).toBe('unknown/unknown/unknown/x.wav')
  })

  it('never lets a value make a folder or leave the export', () => {
    const hostile: RecordingRecord = { fileName: '../../etc/passwd', meta: { agentName: '../..', caller: 'a/b\\c', columns: { 备注: '..' } } }
    const path = renderName(parseTemplate('{agent}/{col:备注}/{caller}/{fileName}'), hostile)
    expect(path.split('/')).toHaveLength(4)
    for (const component of path.split('/')) expect(component === '..' || component === '.' || component === '').toBe(false)
  })

  it('makes each component safe on Windows: reserved names, illegal characters, trailing dots', () => {
    const r: RecordingRecord = { fileName: 'x.wav', meta: { agentName: 'CON', caller: 'a:b*c?', direction: 'in. ' } }
    const [agent, caller, direction] = renderName(parseTemplate('{agent}/{caller}/{direction}/{fileName}'), r).split('/')
    expect(agent).toMatch(/^_CON/)
    expect(caller).not.toMatch(/[:*?]/)
    expect(direction).not.toMatch(/[. ]$/)
  })

  it('keeps any CSV column with {col:…}, and refuses a header the list does not have, listing those it has', async () => {
    const r: RecordingRecord = { fileName: 'x.wav', meta: { columns: { 客户编号: 'C-9' } } }
    const t = parseTemplate('{col:客户编号}/{fileName}')
    expect(renderName(t, r)).toBe('C-9/x.wav')
    expect(() => checkColumns(t, ['客户编号', '坐席'])).not.toThrow()
    const e = await rejectionOf<Error>(Promise.resolve().then(() => checkColumns(parseTemplate('{col:工号}{ext}'), ['客户编号', '坐席'])))
    expect(e.message).toContain('"工号"')
    expect(e.message).toContain('"客户编号", "坐席"')
  })

  it.each([
    ['{date}_{nope}{ext}', 'unknown placeholder {nope}'],
    ['{date_{time}', '"{" without its "}" at character 1'],
    ['{date}}_x', '"}" without its "{" at character 7'],
    ['plain.wav', 'has no placeholder'],
    ['', 'is empty'],
  ])('refuses %j before anything starts, naming what is wrong', (template, why) => {
    expect(() => parseTemplate(template)).toThrow(why)
  })

  it('refuses a time zone that is not one', () => {
    expect(() => parseTemplate('{date}', 'Mars/Olympus')).toThrow('not an IANA time zone')
  })
})
