import type { ImportPreview, NameSource } from '../../main/common/api.ts'
import { dayRange } from '../lib/dates.ts'
import { go } from './app.svelte.ts'
import { DEFAULT_RECORDING_KIND } from '../../main/common/api-version.ts'
import { hashName } from '../../main/common/name-hash.ts'
import { callChoices, filterInput, resetNaming } from './naming.svelte.ts'
import { recordingFor, resetRecordingChoice } from './recording-choice.svelte.ts'
import { port } from './port.ts'
import { defaultProfile, findProfile } from './profiles.svelte.ts'
import { attach, queue } from './queue.svelte.ts'
import { settings } from './settings.svelte.ts'
import { toUiError, type UiError } from './ui-error.ts'

export type SourceTab = 'file' | 'paste' | 'contacts' | 'range'
export type Layout = 'flat' | 'by-date'

export interface RangeForm {
  from: string
  to: string
  phone: string
  contactType: string
  disposition: string
}

const emptyRange = (): RangeForm => ({ from: '', to: '', phone: '', contactType: '', disposition: '' })

class NewExportStore {
  tab = $state<SourceTab>('file')
  pasteText = $state('')
  contactsText = $state('')
  range = $state<RangeForm>(emptyRange())
  rangeInvalid = $state(false)
  loading = $state(false)
  preview = $state.raw<ImportPreview | null>(null)
  error = $state.raw<UiError | null>(null)
  profile = $state('')
  /** A folder the user picked; null while the field follows the profile and Settings. */
  chosenDir = $state<string | null>(null)
  /** The days of the previewed date range, as picked, and what else CCC is asked for: they name its own folder. */
  rangeDays = $state.raw<RangeDays | null>(null)
  layout = $state<Layout>('flat')
  concurrency = $state(6)
  starting = $state(false)
  startError = $state.raw<UiError | null>(null)

  /**
   * Read, not stored, so that another profile or a new default in Settings moves an automatic
   * folder at once, while a picked one never moves behind the user's back.
   */
  get outDir(): string {
    if (this.chosenDir !== null) return this.chosenDir
    const base = defaultFolder(this.profile)
    // A folder holds one date range (Export.Conflict for another), and the default one is reused
    // by every export: each range gets a folder of its own inside it instead.
    if (base === '' || this.rangeDays === null) return base
    return subfolder(base, rangeFolderName(this.rangeDays, this.profile))
  }

  /** True while the field shows the range's own folder inside the default one. */
  get rangeFolder(): boolean {
    return this.chosenDir === null && this.rangeDays !== null && defaultFolder(this.profile) !== ''
  }
}

/** The profile's own folder, else the one in Settings (issue 15 item 8). */
function defaultFolder(profile: string): string {
  return findProfile(profile)?.outputDir ?? settings.value.outputDir ?? ''
}

/** A previewed range's days as picked, and its conditions CCC applies (phone, type, result) as text. */
interface RangeDays {
  readonly from: string
  readonly to: string
  readonly conditions: string
}

/**
 * Days from the date inputs (digits and dashes only), so the name is safe on Windows too. The same
 * days with other conditions (CCC's phone, type or result; the filters; a 2.0 recording kind) are
 * another export, which the folder of the plain days would refuse: they add a short stable hash.
 */
function rangeFolderName(days: RangeDays, profile: string): string {
  const name = days.from === days.to ? days.from : `${days.from}_${days.to}`
  const kind = recordingFor(profile, 'range').recording
  const filter = filterInput()
  const rest = [days.conditions, filter === undefined ? '' : JSON.stringify(filter), kind === undefined || kind === DEFAULT_RECORDING_KIND ? '' : kind]
  return rest.every((r) => r === '') ? name : `${name}~${hashName(rest.join('\u0000')).toString(16).padStart(8, '0')}`
}


/** Joined with the separator the folder already uses: the page has no `path` module. */
function subfolder(base: string, name: string): string {
  const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/'
  return `${base.replace(/[\\/]+$/, '')}${sep}${name}`
}

export const newExport = new NewExportStore()

let previewSeq = 0
/** The file last previewed, to read again in the column the picker chose. */
let lastFile: Extract<NameSource, { kind: 'file' | 'bytes' }> | null = null

export function resetNewExport(): void {
  resetRecordingChoice()
  newExport.tab = 'file'
  newExport.pasteText = ''
  newExport.contactsText = ''
  newExport.range = emptyRange()
  newExport.rangeInvalid = false
  newExport.loading = false
  newExport.preview = null
  newExport.error = null
  newExport.profile = ''
  newExport.chosenDir = null
  newExport.rangeDays = null
  newExport.layout = 'flat'
  newExport.concurrency = 6
  newExport.starting = false
  newExport.startError = null
  resetNaming()
  previewSeq++
}

/** Defaults from the default profile and the settings, after they load or change. */
export function prepareNewExport(): void {
  const profile = findProfile(newExport.profile) ?? defaultProfile()
  if (profile !== undefined) selectProfile(profile.name)
  newExport.concurrency = settings.value.concurrency
}

/** No folder is copied here: a copy would outlive the next switch (`outDir` reads the profile's). */
export function selectProfile(name: string): void {
  newExport.profile = name
}

/** Only the latest request may land: a slow big file must not overwrite a quick paste after it. */
export async function previewSource(source: NameSource, rangeDays: RangeDays | null = null): Promise<void> {
  const seq = ++previewSeq
  if (source.kind === 'file' || source.kind === 'bytes') lastFile = source
  newExport.loading = true
  newExport.error = null
  newExport.startError = null
  try {
    const preview = await port()['import:preview']({ source })
    if (seq === previewSeq) {
      newExport.preview = preview
      newExport.rangeDays = rangeDays
    }
  } catch (e) {
    if (seq === previewSeq) {
      newExport.preview = null
      newExport.rangeDays = null
      newExport.error = toUiError(e)
    }
  } finally {
    if (seq === previewSeq) newExport.loading = false
  }
}

/** A sandboxed page has no file paths: a dropped file crosses as its bytes. */
export async function previewDroppedFile(file: File): Promise<void> {
  newExport.tab = 'file'
  const data = new Uint8Array(await file.arrayBuffer())
  await previewSource({ kind: 'bytes', fileName: file.name, data })
}

export async function chooseFile(): Promise<void> {
  newExport.error = null
  try {
    const path = await port()['dialog:pickFile'](undefined)
    if (path !== null) await previewSource({ kind: 'file', path })
  } catch (e) {
    newExport.error = toUiError(e)
  }
}

/** The column picker's answer: the same file again, names from `column`, row 1 a header or not. */
export async function chooseColumn(column: number, header: boolean): Promise<void> {
  if (lastFile === null) return
  const asking = newExport.preview
  await previewSource({ ...lastFile, column, header })
  // A column refused (it holds no recording names): the question stays, with the reason below it.
  if (newExport.preview === null && newExport.error !== null && asking !== null) newExport.preview = asking
}

export function previewPasted(): Promise<void> {
  return previewSource({ kind: 'text', text: newExport.pasteText })
}

export function previewContacts(): Promise<void> {
  return previewSource({ kind: 'contacts', text: newExport.contactsText })
}

export async function previewRange(): Promise<void> {
  const r = newExport.range
  const days = dayRange(r.from, r.to)
  newExport.rangeInvalid = days === null
  if (days === null) return
  const optional = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim())
  const phone = optional(r.phone)
  const contactType = optional(r.contactType)
  const disposition = optional(r.disposition)
  await previewSource(
    {
      kind: 'range',
      ...days,
      ...(phone === undefined ? {} : { phone }),
      ...(contactType === undefined ? {} : { contactType }),
      ...(disposition === undefined ? {} : { disposition }),
    },
    { from: r.from, to: r.to, conditions: phone === undefined && contactType === undefined && disposition === undefined ? '' : JSON.stringify({ phone, contactType, disposition }) },
  )
}

export function clearPreview(): void {
  previewSeq++
  newExport.preview = null
  newExport.rangeDays = null
  newExport.error = null
  newExport.loading = false
}

export async function chooseFolder(): Promise<void> {
  newExport.startError = null
  try {
    const folder = await port()['dialog:pickFolder'](undefined)
    if (folder !== null) newExport.chosenDir = folder
  } catch (e) {
    newExport.startError = toUiError(e)
  }
}

export function canStart(): boolean {
  const p = newExport.preview
  const c = newExport.concurrency
  const validConcurrency = Number.isInteger(c) && c >= 1 && c <= 64
  // A date range has no names before it is listed: the listing is part of the export.
  // A file whose column is in doubt waits for the picker's answer.
  const hasWork = p !== null && p.columns?.ask !== true && (p.names > 0 || newExport.tab === 'range')
  return hasWork && newExport.profile !== '' && newExport.outDir !== '' && validConcurrency && !newExport.starting
}

export async function startExport(): Promise<void> {
  const preview = newExport.preview
  if (preview === null || !canStart()) return
  newExport.starting = true
  newExport.startError = null
  try {
    const summary = await port()['export:start']({
      token: preview.token,
      profile: newExport.profile,
      outDir: newExport.outDir,
      layout: newExport.layout,
      concurrency: newExport.concurrency,
      maxBytesPerSecond: settings.value.maxBytesPerSecond,
      ...callChoices(),
      // A 2.0 profile's recording kind, for contact IDs and date ranges (issue 14 item 3).
      ...recordingFor(newExport.profile, newExport.tab),
    })
    newExport.preview = null
    newExport.rangeDays = null
    attach(summary)
    if (summary.namingKept !== undefined) queue.notice = { kind: 'namingKept', how: summary.namingKept }
    go('queue')
  } catch (e) {
    newExport.startError = toUiError(e)
  } finally {
    newExport.starting = false
  }
}
