import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImportError } from '../../../main/engine/import/csv.ts'
import { importContactIds, listingSource, parseContactIdList, parseIsoTime, rangeSource, sameSource, SourceError } from '../../../main/engine/import/sources.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sources-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function file(name: string, bytes: string | Buffer): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, bytes)
  return path
}

describe('contact IDs', () => {
  it('takes the ContactId column of a sheet, whatever its position and case', async () => {
    const path = await file('tickets.csv', 'ticket,CONTACTID,agent\r\nT1,1004849022,a\r\nT2,1004849023,b\r\nT3,1004849022,c\r\n')
    const r = await importContactIds(path)
    expect(r.names).toEqual(['1004849022', '1004849023'])
    expect(r.counts).toMatchObject({ rows: 3, names: 2, duplicates: 1 })
    expect(r.column).toEqual({ index: 1, name: 'CONTACTID' })
  })

  it.each([['话务ID'], ['contact_id'], ['Contact ID']])('knows the header %s', async (header) => {
    const r = await parseContactIdList(`${header}\tnote\nc-1\tx\nc-2\ty\n`)
    expect(r.names).toEqual(['c-1', 'c-2'])
  })

  it('reads GB18030 as Excel on Chinese Windows writes it', async () => {
    const path = await file('gbk.csv', iconv.encode('工单号,话务ID\r\n甲,job-1\r\n乙,job-2\r\n', 'gb18030'))
    const r = await importContactIds(path)
    expect(r.names).toEqual(['job-1', 'job-2'])
    expect(r.encoding).toBe('gb18030')
  })

  it('takes a single column without a header, counting blank rows as the names import does', async () => {
    const r = await parseContactIdList('\n  1001 \n\n1002\n1001\n')
    expect(r.names).toEqual(['1001', '1002'])
    expect(r.counts).toMatchObject({ blank: 2, duplicates: 1 })
    expect(r.header).toBeNull()
  })

  it('names a row that holds something but no contact ID as such', async () => {
    const r = await parseContactIdList('ContactId\tAgent\nc-1\tAlice\n\tBob\n')
    expect(r.invalid).toEqual([{ row: 3, value: 'Bob', reason: 'empty', message: 'no contact ID in this row, which holds' }])
  })

  it('refuses several columns without a contact-ID header, naming what is wanted', async () => {
    const e = await parseContactIdList('FileName,other\nx.wav,1\n').catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ImportError)
    expect((e as ImportError).code).toBe('Import.NoSuchColumn')
    expect((e as ImportError).message).toMatch(/ContactId/)
  })

  it('lets the caller name the column', async () => {
    const r = await parseContactIdList('id,call\n1,c-9\n', { column: 'call' })
    expect(r.names).toEqual(['c-9'])
  })

  it('lists invalid rows with their numbers', async () => {
    const r = await parseContactIdList('ContactId\nok-1\nbad/id\n')
    expect(r.names).toEqual(['ok-1'])
    expect(r.invalid).toEqual([expect.objectContaining({ row: 3, reason: 'path-separator' })])
  })

  it('counts an empty paste as nothing, not an error', async () => {
    const r = await parseContactIdList('\n\n')
    expect(r.names).toEqual([])
    expect(r.counts.blank).toBe(2)
  })
})

describe('date range', () => {
  it('reads ISO times with and without a zone; a bare date is local midnight', () => {
    expect(parseIsoTime('2024-03-01T00:00:00Z')).toBe(Date.UTC(2024, 2, 1))
    expect(parseIsoTime('2024-03-01T08:00+08:00')).toBe(Date.UTC(2024, 2, 1))
    expect(parseIsoTime('2024-03-01T08:00:00.5+0800')).toBe(Date.UTC(2024, 2, 1) + 500)
    expect(parseIsoTime('2024-03-01')).toBe(new Date(2024, 2, 1).getTime())
    expect(parseIsoTime('2024-03-01 09:30')).toBe(new Date(2024, 2, 1, 9, 30).getTime())
    for (const bad of ['2024-02-30', 'yesterday', '2024-3-1', '1709251200000', '2024-03-01T25:00Z', '']) expect(parseIsoTime(bad), bad).toBeUndefined()
  })

  it('journals both ends in UTC and keeps only the filters given', () => {
    expect(rangeSource({ from: '2024-03-01T00:00:00+08:00', to: '2024-04-01T00:00:00+08:00', phone: ' 13800000000 ', contactType: '' })).toEqual({
      kind: 'range',
      from: '2024-02-29T16:00:00.000Z',
      to: '2024-03-31T16:00:00.000Z',
      phone: '13800000000',
    })
  })

  it('names the field that is wrong', () => {
    const field = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(SourceError)
        return (e as SourceError).field
      }
      return undefined
    }
    expect(field(() => rangeSource({ from: 'March', to: '2024-04-01' }))).toBe('from')
    expect(field(() => rangeSource({ from: '2024-03-01', to: 'April' }))).toBe('to')
    expect(field(() => rangeSource({ from: '2024-03-02', to: '2024-03-01' }))).toBe('to')
    expect(field(() => rangeSource({ from: '2024-03-01', to: '2024-03-01' }))).toBe('to')
    expect(field(() => rangeSource({ from: '2024-03-01', to: '2024-03-02', disposition: 'a\nb' }))).toBe('disposition')
  })

  it("takes a call type in any case as CCC spells it, and refuses one CCC does not know, naming them", () => {
    // CCC matches the type exactly: `inbound` would list no call and say nothing.
    expect(rangeSource({ from: '2024-03-01', to: '2024-03-02', contactType: ' inbound ' }).contactType).toBe('Inbound')
    expect(rangeSource({ from: '2024-03-01', to: '2024-03-02', contactType: 'OUTBOUND' }).contactType).toBe('Outbound')
    let error: unknown
    try {
      rangeSource({ from: '2024-03-01', to: '2024-03-02', contactType: 'Foo' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SourceError)
    expect((error as SourceError).field).toBe('contactType')
    expect((error as SourceError).message).toBe('"Foo" is not a call type CCC knows: Inbound, Outbound, Internal (any case)')
  })

  it('tells one range from another', () => {
    const a = rangeSource({ from: '2024-03-01', to: '2024-03-02' })
    expect(sameSource(a, { ...a })).toBe(true)
    expect(sameSource(a, { ...a, phone: '1' })).toBe(false)
    expect(sameSource(a, { kind: 'contacts' })).toBe(false)
    expect(sameSource({ kind: 'names' }, { kind: 'names', file: 'x.csv' })).toBe(true)
  })

  it('takes a day range the app ended at 23:59:59 for the same range ended at the next midnight', () => {
    const old = rangeSource({ from: '2026-03-01T00:00:00+08:00', to: '2026-03-31T23:59:59+08:00' })
    const now = rangeSource({ from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00' })
    expect(sameSource(old, now)).toBe(true)
    expect(sameSource(now, old)).toBe(true)
    // Any other second apart is another range.
    expect(sameSource(now, rangeSource({ from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:01+08:00' }))).toBe(false)
    expect(sameSource(old, rangeSource({ from: '2026-03-01T00:00:00+08:00', to: '2026-03-31T23:59:58+08:00' }))).toBe(false)
  })
})

describe('listingSource, as an IPC handler calls it', () => {
  it('turns a pasted list of contact IDs into a contacts source and its IDs', async () => {
    const plan = await listingSource({ kind: 'contacts', text: 'ContactId\nc-1\nc-2\nc-1\n' })
    expect(plan.source).toEqual({ kind: 'contacts' })
    expect(plan.contactIds).toEqual(['c-1', 'c-2'])
    expect(plan.imported?.counts.duplicates).toBe(1)
  })

  it('refuses a paste with no contact ID, and checks a range', async () => {
    await expect(listingSource({ kind: 'contacts', text: '\n \n' })).rejects.toMatchObject({ name: 'SourceError', field: 'contacts' })
    await expect(listingSource({ kind: 'range', from: '2024-03-02', to: '2024-03-01' })).rejects.toMatchObject({ field: 'to' })
    expect((await listingSource({ kind: 'range', from: '2024-03-01T00:00Z', to: '2024-03-02T00:00Z' })).source).toMatchObject({ kind: 'range', from: '2024-03-01T00:00:00.000Z' })
  })
})
