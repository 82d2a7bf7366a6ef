import { describe, expect, it } from 'vitest'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import { failedLookup, looksUpAgain, oldestNotReady } from '../../../main/engine/export/listing-step.ts'

function tableOf(rows: readonly { name: string; start?: number; skip?: string; fail?: { code: string; message: string } }[]): ExportTable {
  const table = new ExportTable()
  table.apply({ type: 'add', names: rows.map((r) => r.name), startTimes: rows.map((r) => r.start ?? null) })
  for (const r of rows) {
    if (r.skip) table.apply({ type: 'skip', name: r.name, reason: r.skip })
    if (r.fail) table.apply({ type: 'fail', name: r.name, ...r.fail, attempts: 1 })
  }
  return table
}

describe('which contacts a listing looks up again', () => {
  it('reads a failed lookup by its code, and an older build\'s skipped refusal the same way', () => {
    const table = tableOf([
      { name: 'contact/job-1', fail: { code: 'Parameter.Format', message: 'GetCallDetailRecord failed for contact job-1: Parameter.Format: bad' } },
      // What builds before failed rows journalled for a refused lookup.
      { name: 'contact/job-2', skip: 'GetCallDetailRecord failed for contact job-2: NotExist.Record: no such call' },
      { name: 'call/job-3', skip: 'ListMonoRecordings failed for call job-3: InternalError: try later' },
      { name: 'contact/job-4', skip: 'contact job-4 has no recording' },
      { name: 'call/job-5', skip: 'call job-5: the recording is not ready yet; run the same contact IDs again later to fetch it' },
    ])
    expect(['job-1', 'job-2', 'job-3', 'job-4', 'job-5', 'job-6'].map((id) => failedLookup(table, id))).toEqual([
      'Parameter.Format',
      'NotExist.Record',
      'InternalError',
      undefined,
      undefined,
      undefined,
    ])
    // A call not ready is looked up again as well; one without a recording is not.
    expect(['job-1', 'job-2', 'job-3', 'job-4', 'job-5', 'job-6'].map((id) => looksUpAgain(table, id))).toEqual([true, true, true, false, true, false])
  })
})

describe('how far back a sync lists for calls not ready', () => {
  const notReady = (id: string) => `call ${id}: the recording is not ready yet; run the same range again later to fetch it`
  it('takes the oldest call still not ready from the floor on, never one with nothing recorded', () => {
    const table = tableOf([
      { name: 'call/a', start: 1000, skip: notReady('a') },
      // Most likely unanswered: a call centre has these every day, and they must not hold the listing back.
      { name: 'call/b', start: 500, skip: 'call b: 0 s recorded, so most likely it was not answered; if it was, the recording is not ready yet: run the same range again later to check' },
      // Older than the floor (a week before the window): no longer waited for.
      { name: 'call/c', start: 100, skip: notReady('c') },
      // An older build kept no start for it: only the overlap reaches it.
      { name: 'call/d', skip: notReady('d') },
      { name: 'call/e', start: 300, skip: 'call e has no recording' },
      { name: 'x.wav', start: 50 },
    ])
    expect(oldestNotReady(table, 200)).toBe(1000)
    expect(oldestNotReady(table, 2000)).toBeUndefined()
  })
})
