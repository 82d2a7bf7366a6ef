import { describe, expect, it } from 'vitest'
import { findColumnByName, findNameColumn, KNOWN_NAME_HEADERS } from '../../../main/engine/import/header.ts'

describe('findNameColumn', () => {
  it('recognises every documented spelling, whatever the case and spacing', () => {
    for (const h of [
      'FileName', 'File Name', 'file_name', 'filename', 'FILE-NAME', ' Recording ', 'RecordingFile',
      'recording_file', 'record_file', '录音文件名', '录音文件', '文件名', '录音',
    ]) {
      expect(findNameColumn(['话务ID', h, '坐席']), h).toBe(1)
    }
  })

  it('finds nothing in a row of data', () => {
    expect(findNameColumn(['153128491143400080327683.wav', 'job-1', '张三'])).toBe(-1)
    expect(findNameColumn([])).toBe(-1)
  })

  it('prefers the most specific header over an earlier, vaguer one', () => {
    expect(findNameColumn(['录音', '坐席', '录音文件名'])).toBe(2)
    expect(findNameColumn(['Recording', 'FileName'])).toBe(1)
    expect(KNOWN_NAME_HEADERS[0]).toBe('录音文件名')
  })
})

describe('findColumnByName', () => {
  it('matches exactly ignoring case first, then loosely', () => {
    expect(findColumnByName(['Recording', 'recording file'], 'RECORDING')).toBe(0)
    expect(findColumnByName(['Recording', 'recording file'], 'Recording_File')).toBe(1)
    expect(findColumnByName(['a', 'b'], 'c')).toBe(-1)
    expect(findColumnByName(['', 'b'], ' ')).toBe(-1)
  })
})
