import type { Locale } from '../../main/common/error-catalog.ts'
import { en, type MessageKey, type Messages } from './en.ts'
import { zhCN } from './zh-CN.ts'

export type { Locale, MessageKey, Messages }
export { type Language, resolveLocale } from '../../main/common/shell-text.ts'

export const MESSAGES: Readonly<Record<Locale, Messages>> = { 'zh-CN': zhCN, en }

export type Params = Readonly<Record<string, string | number>>

/** `{name}` placeholders; an unknown one is left visible so a missing parameter shows in review. */
export function format(template: string, params?: Params): string {
  if (params === undefined) return template
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(params, key) ? String(params[key]) : whole))
}
