// placeholder: owned by the credentials work; replaced there.
import type { Text } from './error-catalog.ts'
export type ConnectionOutcomeKind = string
export interface ConnectionOutcome { readonly kind: ConnectionOutcomeKind; readonly ok: boolean; readonly message: Text; readonly code?: string }
