import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { INPUT_ERRORS } from '../../main/common/error-catalog-input.ts'
import { LOCAL_ERRORS } from '../../main/common/error-catalog-local.ts'
import { SERVICE_ERRORS } from '../../main/common/error-catalog-service.ts'
import { TRANSFER_ERRORS } from '../../main/common/error-catalog-transfer.ts'
import { catalogEntry, ERROR_CATALOG, isKnownCode } from '../../main/common/error-catalog.ts'
import { CccError } from '../../main/common/errors.ts'
import { UsageError } from '../../main/cli/exit-codes.ts'
import { ProfileError } from '../../main/engine/credentials/profiles.ts'
import { CredentialsError } from '../../main/engine/credentials/resolve-credentials.ts'
import { SecretStoreError } from '../../main/engine/credentials/secret-store.ts'
import { ExportInUseError } from '../../main/engine/export/folder-lock.ts'
import { IMPORT_CODES, ImportError } from '../../main/engine/import/import-error.ts'
import { SOURCE_FIELDS, SourceError } from '../../main/engine/import/sources.ts'

const MAIN = new URL('../../main/', import.meta.url).pathname

/** Every code main/ throws or sends, whoever raises it: each must explain itself in both languages. */
const THROWN = [
  ...['NotExist.Record', 'NotExist.Instance', 'OssNotOpen', 'Forbidden.RAM', 'NoPermission', 'SignatureDoesNotMatch'],
  ...['InvalidAccessKeyId.NotFound', 'InvalidAccessKeyId.Inactive', 'IncompleteSignature', 'MissingSecurityToken'],
  ...['InvalidSecurityToken.Expired', 'InvalidSecurityToken.Malformed', 'InvalidSecurityToken.MismatchWithAccessKey'],
  ...['InvalidTimeStamp.Expired', 'InvalidTimeStamp.Format', 'SignatureNonceUsed', 'Throttling', 'Throttling.User', 'Throttling.Api'],
  ...['ServiceUnavailable', 'InternalError', 'Network', 'Network.GaveUp', 'Timeout', 'BodyTruncated', 'ChecksumMismatch', 'Http.Unexpected', 'Api.ReplyTooLarge', 'Api.NotJson', 'Network.ProxyAuth', 'Api.WrongEndpoint', 'Api.NotContactName'],
  ...['Oss.UrlExpired', 'Oss.AccessDenied', 'Oss.NoSuchKey', 'DiskFull', 'Local.WriteFailed', 'InvalidFileName', 'Skipped'],
  ...['NotExists.InstanceId', 'Api.InstanceIsV2', 'Api.InstanceIsV1', 'Api.V1NamesOnV2'],
  ...['Parameter.Blank', 'Parameter.Empty', 'Parameter.Null', 'Parameter.Minimum', 'Parameter.Format'],
  ...['Keychain.Unavailable', 'Keychain.NoKeyring', 'Keychain.Locked', 'Keychain.Denied'],
  ...['Profiles.Damaged', 'Profiles.Unreadable', 'Profiles.Invalid', 'Profiles.NotFound', 'Profiles.SecretMissing'],
  ...['Schedules.Damaged', 'Schedule.Refused'],
  ...['Credentials.None', 'Credentials.Incomplete'],
  ...['Export.Conflict', 'Export.InUse', 'Export.Busy', 'Export.NotFound', 'Export.ListNotRecorded', 'Export.NotRunning', 'Export.OutputUnusable', 'Import.Expired'],
  ...Object.values(IMPORT_CODES),
  ...SOURCE_FIELDS.map((f) => `Source.${f}`),
  ...['Template.Invalid', 'Filter.Invalid', 'Timetable.Invalid', 'Sync.NoCommandLine'],
  ...['Oss.BadContent', 'Oss.Unverifiable', 'Local.NotAFile', 'Local.FileInTheWay', 'Local.FileVanished', 'Local.FileBusy', 'Local.FileFailed', 'Transfer.TooSlow'],
  ...['Oss.Archived', 'Restore.TimedOut', 'Restore.Forbidden'],
  ...['Usage', 'Ipc.Forbidden', 'Ipc.Failed', 'Ipc.BadReply', 'Ipc.UnknownMethod', 'Ipc.InvalidRequest', 'Shell.OpenFailed', 'Unknown'],
]

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name)
    return d.isDirectory() ? sources(path) : d.name.endsWith('.ts') ? [path] : []
  })
}

describe('the error catalog', () => {
  it.each(THROWN)('explains %s in zh-CN and en, with a handling', (code) => {
    expect(isKnownCode(code)).toBe(true)
    const entry = catalogEntry(code)
    expect(entry.meaning['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
    expect(entry.action['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
    expect(entry.meaning.en).toMatch(/^[A-Z]/)
    expect(entry.action.en).toMatch(/^[A-Z]/)
    expect(['skip', 'fatal', 'retry', 'throttle', 'renew-url', 'pause']).toContain(entry.handling)
  })

  it('speaks to Windows users too: 钥匙串 (the macOS word) only beside a name Windows users know', () => {
    const zh = Object.values(ERROR_CATALOG).flatMap((e) => [e.meaning['zh-CN'], e.action['zh-CN']])
    const macOnly = zh.filter((text) => text.includes('钥匙串') && !text.includes('凭据') && !text.includes('macOS'))
    expect(macOnly).toEqual([])
  })

  it('knows every literal code written in main/ (code: \'…\', new …Error(\'…\') and the preload\'s failure(\'…\'))', () => {
    const found = new Set<string>()
    for (const file of sources(MAIN)) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\bcode: '([A-Z][a-z][\w]*(?:\.[\w]+)*)'/g)) found.add(m[1]!)
      for (const m of text.matchAll(/\bnew \w*Error\(\s*'([A-Z][a-z]\w*(?:\.\w+)*)'/g)) found.add(m[1]!)
      for (const m of text.matchAll(/\bfailure\('([A-Z][a-z]\w*(?:\.\w+)*)'/g)) found.add(m[1]!)
    }
    expect(found.size).toBeGreaterThan(20)
    expect([...found].filter((c) => !THROWN.includes(c))).toEqual([])
  })

  it('has each code in one part only, and nothing it does not list', () => {
    const parts = [SERVICE_ERRORS, TRANSFER_ERRORS, LOCAL_ERRORS, INPUT_ERRORS].map((p) => Object.keys(p))
    expect(new Set(parts.flat()).size).toBe(parts.flat().length)
    expect(Object.keys(ERROR_CATALOG).filter((c) => !THROWN.includes(c))).toEqual([])
  })
})

describe('the engine errors are CccErrors with catalog codes', () => {
  const errors: CccError[] = [
    new SecretStoreError('Keychain.Locked', 'work', 'locked'),
    new ProfileError('Profiles.Invalid', 'region: unknown', 'region'),
    new CredentialsError('Credentials.None', 'no credentials'),
    new ExportInUseError('/x: open elsewhere'),
    ...Object.keys(IMPORT_CODES).map((r) => new ImportError(r as keyof typeof IMPORT_CODES, '/tmp/a.csv', 'bad', 2)),
    ...SOURCE_FIELDS.map((f) => new SourceError(f, 'bad')),
    new UsageError('unknown flag'),
  ]
  it.each(errors.map((e) => [e.name, e.code, e] as const))('%s carries %s', (_name, code, e) => {
    expect(e).toBeInstanceOf(CccError)
    expect(isKnownCode(code)).toBe(true)
    expect(e.handling).toBe('fatal')
    expect(e.toData().code).toBe(code)
  })

  it('keeps the fields callers read', () => {
    expect(new SecretStoreError('Keychain.Denied', 'p', 'no').profile).toBe('p')
    expect(new ProfileError('Profiles.Invalid', 'm', 'secret').field).toBe('secret')
    expect(new SourceError('to', 'm')).toMatchObject({ field: 'to', code: 'Source.to', name: 'SourceError', details: { field: 'to' } })
    expect(new ImportError('malformed', '/d/n.csv', 'odd', 4)).toMatchObject({ reason: 'malformed', file: '/d/n.csv', row: 4, message: 'n.csv: row 4: odd' })
    expect(new ExportInUseError('m')).toMatchObject({ code: 'Export.InUse', name: 'ExportInUseError', message: 'm' })
  })
})
