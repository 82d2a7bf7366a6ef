import type { ApiVersion } from './api-version.ts'
import { ERROR_CATALOG, type Locale, type Text } from './error-catalog.ts'

/**
 * What a profile's connection test can find (engine/credentials/connection-test.ts), with the text
 * the app and the CLI show for each. Plain data, so it crosses IPC and the renderer can use it.
 */
export const CONNECTION_OUTCOME_KINDS = [
  'ok',
  'access-key-id-unknown',
  'secret-wrong',
  'no-permission',
  'instance-or-region-wrong',
  'clock-skew',
  'oss-not-open',
  'security-token-invalid',
  // The instance answered the other API generation's probe (issue 14 item 1).
  'instance-is-v2',
  'instance-is-v1',
  'network',
  'other',
] as const

export type ConnectionOutcomeKind = (typeof CONNECTION_OUTCOME_KINDS)[number]

/** The result of one connection test. */
export interface ConnectionOutcome {
  readonly kind: ConnectionOutcomeKind
  readonly ok: boolean
  /** What was found, in both languages. */
  readonly message: Text
  /** What to do about it, in both languages. */
  readonly action: Text
  /** The CCC or transport code behind the outcome (absent for a plain success). */
  readonly code?: string
  readonly status?: number
  /** For a support ticket with Alibaba Cloud. */
  readonly requestId?: string
  /** The server's or the transport's own words, redacted: for a "details" line. */
  readonly detail?: string
  /**
   * The instance's API generation as the probes found it: the one whose probe reached the
   * instance. Absent when neither did (a wrong key, the network…): nothing is known then.
   */
  readonly apiVersion?: ApiVersion
}

export interface ConnectionOutcomeText {
  readonly message: Text
  readonly action: Text
}

export const CONNECTION_OUTCOME_TEXT: Readonly<Record<ConnectionOutcomeKind, ConnectionOutcomeText>> = {
  ok: {
    message: { 'zh-CN': '连接正常：AccessKey、权限、实例和录音存储均可用', en: 'Connection OK: the AccessKey, permission, instance and recording storage all work' },
    action: { 'zh-CN': '可以开始下载录音。', en: 'You can start downloading recordings.' },
  },
  'access-key-id-unknown': {
    message: { 'zh-CN': 'AccessKey ID 不存在或已被禁用', en: 'The AccessKey ID does not exist or is disabled' },
    action: {
      'zh-CN': '检查 AccessKey ID 是否填写正确，并在 RAM 控制台确认它处于启用状态。',
      en: 'Check the AccessKey ID, and make sure it is active in the RAM console.',
    },
  },
  'secret-wrong': {
    message: { 'zh-CN': 'AccessKey Secret 不正确', en: 'The AccessKey secret is wrong' },
    action: {
      'zh-CN': '重新输入 AccessKey Secret（注意不要多复制空格）。',
      en: 'Enter the AccessKey secret again (watch for stray spaces when pasting).',
    },
  },
  'no-permission': {
    message: { 'zh-CN': 'RAM 用户没有呼叫中心权限', en: 'The RAM user lacks permission for CCC' },
    action: {
      'zh-CN': '为该 RAM 用户授予呼叫中心只读权限（AliyunCCCReadOnlyAccess）或此实例的访问权限。',
      en: 'Grant the RAM user read-only CCC permission (AliyunCCCReadOnlyAccess) or access to this instance.',
    },
  },
  'instance-or-region-wrong': {
    message: { 'zh-CN': '实例 ID 或地域不正确', en: 'The instance ID or the region is wrong' },
    action: {
      'zh-CN': '对照呼叫中心控制台检查实例 ID 和地域（Region）；如填写了自定义接入地址，也请一并检查。',
      en: 'Check the instance ID and the region against the CCC console, and the endpoint if you set one.',
    },
  },
  'clock-skew': {
    message: { 'zh-CN': '本机时间与标准时间相差超过 15 分钟', en: "This computer's clock is off by more than 15 minutes" },
    action: { 'zh-CN': '打开系统的自动校时后重试。', en: 'Turn on automatic time synchronisation, then try again.' },
  },
  'oss-not-open': {
    message: { 'zh-CN': '该实例没有开通录音存储（OSS）', en: 'Recording storage (OSS) is not enabled for this instance' },
    action: {
      'zh-CN': '在呼叫中心控制台为该实例开通录音存储（OSS）后重试。',
      en: 'Enable recording storage (OSS) for the instance in the CCC console, then try again.',
    },
  },
  'security-token-invalid': {
    message: { 'zh-CN': 'STS 安全令牌无效或已过期', en: 'The STS security token is invalid or has expired' },
    action: {
      'zh-CN': '重新获取 STS 临时凭证，并同时更新 ALIBABA_CLOUD_SECURITY_TOKEN。',
      en: 'Get fresh STS credentials and update ALIBABA_CLOUD_SECURITY_TOKEN with them.',
    },
  },
  'instance-is-v2': { message: ERROR_CATALOG['Api.InstanceIsV2'].meaning, action: ERROR_CATALOG['Api.InstanceIsV2'].action },
  'instance-is-v1': { message: ERROR_CATALOG['Api.InstanceIsV1'].meaning, action: ERROR_CATALOG['Api.InstanceIsV1'].action },
  network: {
    message: { 'zh-CN': '无法连接到呼叫中心服务', en: 'Cannot reach the CCC service' },
    action: {
      'zh-CN': '检查网络和代理设置；如填写了自定义接入地址或地域，请确认其正确。',
      en: 'Check the network and proxy settings, and the endpoint or region if you set one.',
    },
  },
  other: {
    message: { 'zh-CN': '连接测试失败', en: 'The connection test failed' },
    action: {
      'zh-CN': '查看下方的错误代码与说明；稍后重试，若仍失败请导出诊断信息并反馈。',
      en: 'See the error code and details below; try again later, and if it persists export diagnostics and report it.',
    },
  },
}

/** One line for the CLI or a toast: what was found, then what to do. */
export function connectionOutcomeLine(outcome: Pick<ConnectionOutcome, 'message' | 'action'>, locale: Locale): string {
  return locale === 'zh-CN'
    ? `${outcome.message[locale]}。${outcome.action[locale]}`
    : `${outcome.message[locale]}. ${outcome.action[locale]}`
}
