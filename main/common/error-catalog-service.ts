import { type CatalogEntry, fatalKey } from './error-catalog-types.ts'

/**
 * The codes CCC itself answers: ccc-api.md §4 (the DownloadRecording document and the POP
 * gateway) and §7 (the 2.0 actions). The way to it and OSS are in error-catalog-transfer.ts.
 */

export const SERVICE_ERRORS = {
  'NotExist.Record': {
    handling: 'skip',
    meaning: { 'zh-CN': '通话录音不存在', en: 'The recording does not exist' },
    action: {
      'zh-CN': '检查文件名是否正确；录音也可能已超过保存期限被删除。',
      en: 'Check the file name; the recording may also have expired under the retention policy.',
    },
  },
  'NotExist.Instance': {
    ...fatalKey,
    meaning: { 'zh-CN': '呼叫中心实例不存在', en: 'The contact center instance does not exist' },
    action: {
      'zh-CN': '检查实例 ID 和地域（Region）是否与控制台一致；若实例是云联络中心 2.0，请选择 API 版本 2020-07-01（1.0 实例则为 2017-07-05）。',
      en: 'Check the instance ID and the region against the CCC console; a CCC 2.0 instance needs API version 2020-07-01 (a 1.0 instance 2017-07-05).',
    },
  },
  // CCC 2.0 (2020-07-01) names an unknown instance differently (its action documents, e.g.
  // GetMonoRecording's error table): a 1.0 instance ID sent to a 2.0 action gets this one.
  'NotExists.InstanceId': {
    ...fatalKey,
    meaning: { 'zh-CN': '云联络中心 2.0 中不存在该实例', en: 'The instance does not exist in CCC 2.0' },
    action: {
      'zh-CN': '检查实例 ID 和地域（Region）是否与控制台一致；若实例是呼叫中心 1.0，请选择 API 版本 2017-07-05。',
      en: 'Check the instance ID and the region against the CCC console; a CCC 1.0 instance needs API version 2017-07-05.',
    },
  },
  // The connection test found the instance answering the other generation's call (issue 14 item 1).
  'Api.InstanceIsV2': {
    ...fatalKey,
    meaning: { 'zh-CN': '该实例似乎是云联络中心 2.0 实例（API 版本 2020-07-01）', en: 'The instance seems to be a CCC 2.0 instance (API version 2020-07-01)' },
    action: {
      'zh-CN': '在配置中把 API 版本改为 2020-07-01（命令行未使用配置时加 --api-version 2020-07-01）后重试；2.0 实例按通话ID 或时间范围下载录音。',
      en: 'Set the profile\'s API version to 2020-07-01 (on the command line without a profile, pass --api-version 2020-07-01) and try again; a 2.0 instance downloads by contact ID or date range.',
    },
  },
  'Api.InstanceIsV1': {
    ...fatalKey,
    meaning: { 'zh-CN': '该实例似乎是呼叫中心 1.0 实例（API 版本 2017-07-05）', en: 'The instance seems to be a CCC 1.0 instance (API version 2017-07-05)' },
    action: {
      'zh-CN': '在配置中把 API 版本改为 2017-07-05（命令行未使用配置时加 --api-version 2017-07-05）后重试。',
      en: 'Set the profile\'s API version to 2017-07-05 (on the command line without a profile, pass --api-version 2017-07-05) and try again.',
    },
  },
  // The parameter checks of the 2.0 actions (their documented 400s). Sent by us, so a bug or a
  // malformed contact ID: that one call cannot succeed, the others may.
  'Parameter.Blank': {
    handling: 'skip',
    meaning: { 'zh-CN': '请求参数为空或含空白字符', en: 'A request parameter was blank' },
    action: { 'zh-CN': '检查通话ID 是否完整；若仍失败，请导出诊断信息并反馈。', en: 'Check the contact ID is complete; if it persists, export diagnostics and report it.' },
  },
  'Parameter.Empty': {
    handling: 'skip',
    meaning: { 'zh-CN': '请求参数为空', en: 'A request parameter was empty' },
    action: { 'zh-CN': '检查通话ID 是否完整；若仍失败，请导出诊断信息并反馈。', en: 'Check the contact ID is complete; if it persists, export diagnostics and report it.' },
  },
  'Parameter.Null': {
    handling: 'skip',
    meaning: { 'zh-CN': '缺少请求参数', en: 'A request parameter was missing' },
    action: { 'zh-CN': '请导出诊断信息并反馈。', en: 'Export diagnostics and report it.' },
  },
  'Parameter.Minimum': {
    handling: 'skip',
    meaning: { 'zh-CN': '请求参数小于允许的最小值', en: 'A request parameter was below its minimum' },
    action: { 'zh-CN': '请导出诊断信息并反馈。', en: 'Export diagnostics and report it.' },
  },
  'Parameter.Format': {
    handling: 'skip',
    meaning: { 'zh-CN': '请求参数格式不正确', en: 'A request parameter was malformed' },
    action: { 'zh-CN': '检查通话ID 的格式（如 job-1234…）；若仍失败，请导出诊断信息并反馈。', en: 'Check the contact ID\'s form (like job-1234…); if it persists, export diagnostics and report it.' },
  },
  'Api.NotContactName': {
    handling: 'skip',
    meaning: { 'zh-CN': '该名称不是 2.0 录音名（通话ID.wav 或 通话ID.mkv）', en: 'The name is not a CCC 2.0 recording name (<contactId>.wav or <contactId>.mkv)' },
    action: {
      'zh-CN': '云联络中心 2.0 按通话ID 查找录音：请导出通话ID 后用“通话ID”来源，或按时间范围下载。',
      en: 'CCC 2.0 finds recordings by contact ID: export the contact IDs and use them as the source, or download a date range.',
    },
  },
  OssNotOpen: {
    ...fatalKey,
    meaning: { 'zh-CN': '没有开通 OSS 服务', en: 'Recording storage (OSS) is not enabled for this instance' },
    action: {
      'zh-CN': '在呼叫中心控制台为该实例开通录音存储（OSS）后重试。',
      en: 'Enable recording storage (OSS) for the instance in the CCC console, then try again.',
    },
  },
  'InvalidAccessKeyId.NotFound': {
    ...fatalKey,
    meaning: { 'zh-CN': 'AccessKey ID 不存在', en: 'The AccessKey ID does not exist' },
    action: {
      'zh-CN': '检查 AccessKey ID 是否填写正确。',
      en: 'Check the AccessKey ID in the profile or environment.',
    },
  },
  'InvalidAccessKeyId.Inactive': {
    ...fatalKey,
    meaning: { 'zh-CN': 'AccessKey 已被禁用', en: 'The AccessKey is disabled' },
    action: {
      'zh-CN': '在 RAM 控制台启用该 AccessKey，或换用有效的 AccessKey。',
      en: 'Enable the AccessKey in the RAM console, or use an active one.',
    },
  },
  SignatureDoesNotMatch: {
    ...fatalKey,
    meaning: { 'zh-CN': 'AccessKey Secret 不正确', en: 'The AccessKey secret is wrong' },
    action: {
      'zh-CN': '重新输入 AccessKey Secret（注意不要多复制空格）。',
      en: 'Enter the AccessKey secret again (watch for stray spaces when pasting).',
    },
  },
  IncompleteSignature: {
    ...fatalKey,
    meaning: { 'zh-CN': '请求签名不完整', en: 'The request signature is incomplete' },
    action: {
      'zh-CN': '检查 AccessKey Secret；若仍失败，请导出诊断信息并反馈。',
      en: 'Check the AccessKey secret; if it persists, export diagnostics and report it.',
    },
  },
  // STS credentials (ALIBABA_CLOUD_SECURITY_TOKEN): a token lives an hour or so, an export longer.
  MissingSecurityToken: {
    ...fatalKey,
    meaning: { 'zh-CN': '缺少 STS 安全令牌', en: 'The STS security token is missing' },
    action: {
      'zh-CN': '临时 AccessKey（STS.开头）必须同时提供 ALIBABA_CLOUD_SECURITY_TOKEN。',
      en: 'Temporary (STS.) AccessKeys need ALIBABA_CLOUD_SECURITY_TOKEN as well.',
    },
  },
  'InvalidSecurityToken.Expired': {
    ...fatalKey,
    meaning: { 'zh-CN': 'STS 安全令牌已过期', en: 'The STS security token has expired' },
    action: {
      'zh-CN': '获取新的 STS 令牌后继续（resume），已下载的文件不会重复下载。',
      en: 'Get a fresh STS token, then resume: verified files are not downloaded again.',
    },
  },
  'InvalidSecurityToken.Malformed': {
    ...fatalKey,
    meaning: { 'zh-CN': 'STS 安全令牌格式错误', en: 'The STS security token is malformed' },
    action: { 'zh-CN': '检查 ALIBABA_CLOUD_SECURITY_TOKEN 是否完整复制。', en: 'Check ALIBABA_CLOUD_SECURITY_TOKEN was copied whole.' },
  },
  'InvalidSecurityToken.MismatchWithAccessKey': {
    ...fatalKey,
    meaning: { 'zh-CN': 'STS 安全令牌与 AccessKey 不匹配', en: 'The STS security token does not belong to this AccessKey' },
    action: { 'zh-CN': '同时更新 AccessKey ID、Secret 与令牌，三者须来自同一次 AssumeRole。', en: 'Update the key ID, secret and token together: all three come from one AssumeRole call.' },
  },
  'Forbidden.RAM': {
    ...fatalKey,
    meaning: { 'zh-CN': 'RAM 用户没有呼叫中心权限', en: 'The RAM user lacks permission for CCC' },
    action: {
      'zh-CN': '为该 RAM 用户授予呼叫中心只读权限（AliyunCCCReadOnlyAccess）。',
      en: 'Grant the RAM user read-only CCC permission (AliyunCCCReadOnlyAccess).',
    },
  },
  NoPermission: {
    ...fatalKey,
    meaning: { 'zh-CN': '没有权限访问该实例', en: 'No permission for this instance' },
    action: {
      'zh-CN': '为该 RAM 用户授予此实例的访问权限。',
      en: 'Grant the RAM user access to this instance.',
    },
  },
  'InvalidTimeStamp.Expired': {
    ...fatalKey,
    meaning: { 'zh-CN': '本机时间与标准时间相差超过 15 分钟', en: "This computer's clock is off by more than 15 minutes" },
    action: {
      'zh-CN': '打开系统的自动校时后重试。',
      en: 'Turn on automatic time synchronisation, then try again.',
    },
  },
  'InvalidTimeStamp.Format': {
    ...fatalKey,
    meaning: { 'zh-CN': '请求时间格式错误', en: 'The request timestamp is malformed' },
    action: {
      'zh-CN': '检查系统时间设置；若仍失败，请导出诊断信息并反馈。',
      en: 'Check the system clock settings; if it persists, export diagnostics and report it.',
    },
  },
  SignatureNonceUsed: {
    handling: 'retry',
    meaning: { 'zh-CN': '请求随机数重复', en: 'A request nonce was reused' },
    action: { 'zh-CN': '会自动用新的随机数重试。', en: 'Retried automatically with a fresh nonce.' },
  },
  Throttling: {
    handling: 'throttle',
    meaning: { 'zh-CN': '请求被限流', en: 'Requests are being throttled' },
    action: {
      'zh-CN': '会自动降低请求速率并重试；可调低并发数。',
      en: 'The app slows down and retries by itself; a lower concurrency also helps.',
    },
  },
  'Throttling.User': {
    handling: 'throttle',
    meaning: { 'zh-CN': '该账号的请求被限流', en: 'Requests from this account are being throttled' },
    action: {
      'zh-CN': '会自动降低请求速率并重试；避免多个工具同时使用同一账号。',
      en: 'The app slows down and retries; avoid running other tools with the same account at once.',
    },
  },
  'Throttling.Api': {
    handling: 'throttle',
    meaning: { 'zh-CN': '该接口的请求被限流', en: 'This API is being throttled' },
    action: { 'zh-CN': '会自动降低请求速率并重试。', en: 'The app slows down and retries by itself.' },
  },
  ServiceUnavailable: {
    handling: 'retry',
    meaning: { 'zh-CN': '服务暂时不可用', en: 'The service is temporarily unavailable' },
    action: { 'zh-CN': '会自动重试；若持续出现，请稍后再继续。', en: 'Retried automatically; if it persists, resume later.' },
  },
  InternalError: {
    handling: 'retry',
    meaning: { 'zh-CN': '服务内部错误', en: 'Internal service error' },
    action: { 'zh-CN': '会自动重试有限次数；可稍后对该组重试。', en: 'Retried a few times; retry the group later.' },
  },
} as const satisfies Record<string, CatalogEntry>
