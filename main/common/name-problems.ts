/**
 * Why an imported row cannot be a recording name (main/engine/import/validate-name.ts decides):
 * codes in the API contract, so the renderer words each in its own language.
 */
export type NameProblem =
  | 'empty'
  | 'dot-name'
  | 'too-long'
  | 'control-character'
  | 'path-separator'
  | 'invisible-character'
  | 'replacement-character'
  | 'unpaired-surrogate'
  | 'excel-number'

export const MAX_NAME_LENGTH = 255
