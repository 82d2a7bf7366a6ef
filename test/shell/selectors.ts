/**
 * Every hook in the renderer that the packed-app smoke test (smoke.test.ts) drives, in one place:
 * element ids, test ids, classes and the message keys of the buttons and headings it finds by
 * name. The smoke test runs only on CI's runners; selectors.test.ts checks each hook against
 * renderer/ here, so renaming a button breaks `npm test` on any machine, not a runner later.
 */
import type { MessageKey } from '../../renderer/i18n/translate.ts'

/** `id="…"` attributes: the profile form and the export options. */
export const IDS = {
  instance: 'pf-instance',
  accessKey: 'pf-key',
  secret: 'pf-secret',
  endpoint: 'pf-endpoint',
  folder: 'opt-folder',
} as const

/** `data-testid="…"` attributes. */
export const TEST_IDS = {
  connectionOutcome: 'connection-outcome',
  preview: 'preview',
  previewNames: 'preview-names',
  exportState: 'export-state',
  percent: 'percent',
} as const

/** The start button has no name of its own (its text counts the files): found by its classes. */
export const START_BUTTON = { component: 'ExportOptions.svelte', classes: 'primary big' } as const

/** The profile form's save button (its text changes while it saves). */
export const SAVE_BUTTON = { component: 'ProfileForm.svelte', selector: 'form button[type="submit"]' } as const

/** Message keys written literally, as `t('key')`, in the button or heading the smoke test finds by name. */
export const NAMED = {
  firstRunTitle: 'firstRun.title',
  newExportTitle: 'newExport.title',
  advanced: 'profile.advanced',
  testConnection: 'profile.test',
  connectionWorks: 'profile.testOk',
  chooseFile: 'drop.choose',
  chooseFolder: 'common.choose',
  pause: 'queue.pause',
  resume: 'queue.resume',
  failures: 'failures.title',
} as const satisfies Record<string, MessageKey>

/** Keys the renderer reaches through a template (`nav.${item}`, `exportState.${state}`). */
export const TEMPLATED = {
  newExport: 'nav.new-export',
  paused: 'exportState.paused',
  finished: 'exportState.finished',
  running: 'exportState.running',
} as const satisfies Record<string, MessageKey>

/** The smoke test's steps, in order: each has a screenshot named after it in test-output/shell/. */
export const STEPS = [
  '01-first-run',
  '02-profile-tested',
  '03-new-export',
  '04-preview',
  '05-running',
  '06-paused',
  '07-finished',
  '08-second-export',
] as const
export type Step = (typeof STEPS)[number]
