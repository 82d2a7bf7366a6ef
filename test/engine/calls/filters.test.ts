import { describe, expect, it } from 'vitest'
import type { RecordingMeta } from '../../../main/engine/calls/call.ts'
import { checkFilter, FilterTally, keepFiltered, removedBy } from '../../../main/engine/calls/filters.ts'

const zhang: RecordingMeta = { agentId: 'a1', agentName: '张三', direction: 'Outbound', disposition: 'Success', duration: 130, caller: '02188880000', callee: '13800138000', skillGroups: ['售后'] }
const li: RecordingMeta = { agents: [{ name: '李四' }], direction: 'Inbound', callDuration: 20, caller: '13900000000', callee: '4008' }

describe('call filters', () => {
  it('keep a list\'s names with their metadata, and refuse to keep none, naming a column the list lacks', () => {
    const kept = keepFiltered(['z.wav', 'l.wav'], [zhang, li], { agent: '张三' })
    expect(kept.names).toEqual(['z.wav'])
    expect(kept.metas).toEqual([zhang])
    expect(kept.tally.removed).toEqual({ agent: 1 })
    expect(() => keepFiltered(['a.wav', 'b.wav'], [{}, {}], { phone: '138', minDuration: 5 })).toThrow(
      /the minimum duration filter needs a duration \(通话时长\) column; the phone number filter needs a calling or called number \(主叫号码, 被叫号码\) column/,
    )
    expect(() => keepFiltered(['z.wav'], [zhang], { agent: '王五' })).toThrow(/^the filters leave no name: left out 1 by agent$/)
    expect(keepFiltered([], [], { agent: '王五' }).names).toEqual([])
  })

  it('keeps what every filter allows, and names the first that removes a recording', () => {
    const f = { agent: '张三', direction: 'outbound', minDuration: 120 }
    expect(removedBy(zhang, f)).toBeUndefined()
    expect(removedBy(li, f)).toBe('agent')
    expect(removedBy(li, { agent: '李四', minDuration: 60 })).toBe('minDuration')
    expect(removedBy(zhang, { agent: 'A1' })).toBeUndefined()
    expect(removedBy(zhang, { phone: '138001' })).toBeUndefined()
    expect(removedBy(zhang, { skillGroup: '售前' })).toBe('skillGroup')
  })

  it("judges durations by the call's, so a transferred call's legs go together; a list without it by the recording's", () => {
    const legOf80 = { duration: 40, callDuration: 80 }
    const legOf220 = { duration: 110, callDuration: 220 }
    expect(removedBy(legOf80, { minDuration: 60 })).toBeUndefined()
    expect(removedBy(legOf220, { maxDuration: 200 })).toBe('maxDuration')
    expect(removedBy({ duration: 40 }, { minDuration: 60 })).toBe('minDuration')
  })

  it('counts what each filter removed', () => {
    const tally = new FilterTally()
    for (const m of [zhang, li, li, zhang]) tally.apply(m, { direction: 'Outbound' })
    expect(tally.kept).toBe(2)
    expect(tally.removed).toEqual({ direction: 2 })
  })

  it('refuses a filter that cannot work, naming the field', () => {
    expect(() => checkFilter({ direction: 'sideways' })).toThrow('direction: "sideways" is not one of inbound, outbound, internal')
    expect(() => checkFilter({ minDuration: -1 })).toThrow('minimum duration: must be a number of seconds')
    expect(() => checkFilter({ minDuration: 60, maxDuration: 30 })).toThrow('minimum duration: 60 s is more than the maximum duration, 30 s: nothing could match')
  })
})
