import { type CatalogEntry, fatalKey } from './error-catalog-types.ts'

/**
 * Transport, OSS and the archive: raised by our own code on the way to CCC and on the download,
 * not answered by CCC itself (error-catalog-service.ts).
 */
export const TRANSFER_ERRORS = {
  Network: {
    handling: 'retry',
    meaning: { 'zh-CN': '网络连接失败', en: 'The network connection failed' },
    action: { 'zh-CN': '检查网络或代理设置；会自动重试。', en: 'Check the network or proxy; retried automatically.' },
  },
  'Network.GaveUp': {
    handling: 'fatal',
    meaning: { 'zh-CN': '网络长时间不可用，导出已停止', en: 'The network stayed down too long; the export stopped' },
    action: {
      'zh-CN': '网络恢复后用 resume 继续；已下载的文件不会丢失。可用 --give-up-after 调整等待时间。',
      en: 'Resume once the network is back; nothing downloaded is lost. --give-up-after sets how long to wait.',
    },
  },
  'Network.ProxyAuth': {
    handling: 'fatal',
    meaning: { 'zh-CN': '代理服务器要求用户名和密码，或不接受所给的用户名和密码（HTTP 407），导出已停止', en: 'A proxy between this computer and CCC asks for a user name and password, or refused the ones given (HTTP 407); the export stopped' },
    action: {
      'zh-CN': '命令行：在 HTTPS_PROXY 中写明（http://用户名:密码@代理地址:端口）；桌面应用：在系统代理设置中填写。然后用 resume 继续。',
      en: 'Command line: put them in HTTPS_PROXY (http://user:password@host:port); the app: in the system’s proxy settings. Then resume.',
    },
  },
  Timeout: {
    handling: 'retry',
    meaning: { 'zh-CN': '请求超时', en: 'The request timed out' },
    action: { 'zh-CN': '会自动重试；网络较慢时可调低并发数。', en: 'Retried automatically; lower the concurrency on a slow link.' },
  },
  BodyTruncated: {
    handling: 'retry',
    meaning: { 'zh-CN': '下载中断，文件不完整', en: 'The download was cut short' },
    action: { 'zh-CN': '会从断点自动续传。', en: 'Resumed automatically from where it stopped.' },
  },
  ChecksumMismatch: {
    handling: 'retry',
    meaning: { 'zh-CN': '文件校验失败（CRC-64/MD5 不一致）', en: 'The file failed its integrity check (CRC-64/MD5)' },
    action: { 'zh-CN': '会重新下载；若反复出现，请检查网络代理。', en: 'Downloaded again; if it repeats, check for a proxy altering traffic.' },
  },
  // Raised by our own downloader when a body brings no proof (issue 17 item 2): retried, since
  // a captive portal or a misbehaving proxy is usually gone on a later try.
  'Oss.Unverifiable': {
    handling: 'retry',
    meaning: { 'zh-CN': '下载内容既无校验值也无长度，无法确认完整', en: 'The download came with neither a checksum nor a length, so it could not be verified' },
    action: { 'zh-CN': '会自动重试；若反复出现，请检查网络代理。', en: 'Retried automatically; if it repeats, check for a proxy between you and OSS.' },
  },
  'Oss.BadContent': {
    handling: 'retry',
    meaning: { 'zh-CN': '收到的不是录音（网页、错误文档或被压缩改写的内容）', en: 'What arrived is not a recording (a web page, an error document, or a re-encoded body)' },
    action: {
      'zh-CN': '会自动重试；若反复出现，请先登录公共 Wi-Fi 的认证页面，或检查网络代理。',
      en: 'Retried automatically; if it repeats, sign in to the Wi-Fi login page or check the proxy.',
    },
  },
  'Transfer.TooSlow': {
    handling: 'retry',
    meaning: { 'zh-CN': '下载速度长时间过低，已中断重连', en: 'The transfer stayed too slow for too long and was restarted' },
    action: { 'zh-CN': '会从断点自动续传；网络较慢时可调低并发数。', en: 'Resumed automatically from where it stopped; lower the concurrency on a slow link.' },
  },
  'Oss.UrlExpired': {
    handling: 'renew-url',
    meaning: { 'zh-CN': '下载链接已过期（有效期 1 小时）', en: 'The download link expired (links last 1 hour)' },
    action: { 'zh-CN': '会自动获取新链接并续传。', en: 'A fresh link is fetched and the download resumes.' },
  },
  'Oss.AccessDenied': {
    handling: 'skip',
    meaning: { 'zh-CN': '录音存储拒绝访问', en: 'Recording storage (OSS) denied access' },
    action: { 'zh-CN': '稍后对该组重试；若持续出现，请联系管理员检查 OSS 权限。', en: 'Retry the group later; if it persists, ask an admin to check OSS access.' },
  },
  'Oss.NoSuchKey': {
    handling: 'skip',
    meaning: { 'zh-CN': '录音文件在存储中不存在', en: 'The recording is missing from storage' },
    action: { 'zh-CN': '录音可能已超过保存期限被删除。', en: 'The recording may have been deleted under the retention policy.' },
  },
  // OSS 403 InvalidObjectState: the object is in archive storage (issue 14 item 4). A CCC 2.0
  // export restores it itself (RestoreArchivedRecordings); this code fails a file only where it
  // cannot (a 1.0 export, or a file still archived after its restore completed).
  'Oss.Archived': {
    handling: 'skip',
    meaning: { 'zh-CN': '录音已归档，需先解冻才能下载', en: 'The recording is in archive storage and must be restored before it can be downloaded' },
    action: {
      'zh-CN': '在云联络中心控制台解冻该录音（CCC 2.0 导出会自动解冻），稍后对该组重试。',
      en: 'Restore it in the CCC console (a CCC 2.0 export restores it itself), then retry the group later.',
    },
  },
  // Raised by our own restorer (archive-restore.ts) after RESTORE_MAX_WAIT_MS of "Progressing".
  'Restore.TimedOut': {
    handling: 'skip',
    meaning: { 'zh-CN': '归档录音解冻超过 12 小时仍未完成', en: 'The archived recording was still being restored after 12 hours' },
    action: {
      'zh-CN': '解冻可能仍在进行：稍后对该组重试（会再次查询解冻状态）；若一直如此，请联系阿里云技术支持。',
      en: 'The restore may still be under way: retry the group later (it asks for the restore again); if it never completes, contact Alibaba Cloud support.',
    },
  },
  // Forbidden.RAM from RestoreArchivedRecordings (archive-restore.ts): a write action (ccc-api.md
  // §7) that the read-only policy, enough for every other call, does not grant.
  'Restore.Forbidden': {
    handling: 'skip',
    meaning: { 'zh-CN': 'RAM 用户没有解冻归档录音的权限', en: 'The RAM user may not restore archived recordings' },
    action: {
      'zh-CN': '为该 RAM 用户授予 ccc:RestoreArchivedRecordings 权限（写操作，只读策略 AliyunCCCReadOnlyAccess 不包含），然后对该组重试；未归档的录音只需只读权限即可下载。',
      en: 'Grant the RAM user ccc:RestoreArchivedRecordings (a write action the read-only AliyunCCCReadOnlyAccess does not include), then retry the group; recordings not archived download with read-only access.',
    },
  },
  // Retried, not skipped: a listing page that cannot be read must stop the listing (to resume),
  // not drop its contact; and a proxy's oversized page may be gone on the next try. Each try
  // reads at most 1 MB, and decide() bounds the tries.
  // The API endpoint answered 404 with a page, not CCC's JSON: a path or host that is not CCC's.
  'Api.WrongEndpoint': {
    ...fatalKey,
    meaning: { 'zh-CN': '该地址不是云联络中心 API（HTTP 404，非 JSON 响应）', en: 'The endpoint did not answer as CCC’s API (HTTP 404, not JSON)' },
    action: {
      'zh-CN': '检查接入地址（--endpoint 或配置中的地址）和地域：应为 https://ccc.<地域>.aliyuncs.com，不带路径。',
      en: 'Check the endpoint (--endpoint, or the profile’s) and the region: CCC’s is https://ccc.<region>.aliyuncs.com, with no path.',
    },
  },
  'Api.ReplyTooLarge': {
    handling: 'retry',
    meaning: { 'zh-CN': '服务器的响应过大（超过 1 MB），已停止读取', en: 'The server sent a reply too large to be real (over 1 MB); it was not read' },
    action: {
      'zh-CN': '会自动重试；若持续出现，请检查代理或 --endpoint 设置是否指向呼叫中心。',
      en: 'Retried automatically; if it persists, check that the proxy or --endpoint really leads to CCC.',
    },
  },
  'Api.NotJson': {
    handling: 'retry',
    meaning: { 'zh-CN': 'API 地址返回了成功状态，但内容不是云联络中心的 JSON（可能是代理或认证门户的页面）', en: 'The API endpoint answered with a success that is not CCC’s JSON (likely a proxy’s or a sign-in portal’s page)' },
    action: {
      'zh-CN': '若此前已连通，导出会像网络中断时一样等待；否则文件重试几次后失败。请检查网络是否需要先登录、代理设置，以及 --endpoint 是否指向呼叫中心。',
      en: 'After CCC has answered in this run, the export waits as for a network that is down; before, the file fails after a few tries. Check whether the network wants a sign-in first, the proxy settings, and that --endpoint leads to CCC.',
    },
  },
  'Http.Unexpected': {
    handling: 'skip',
    meaning: { 'zh-CN': '服务器返回了意外的响应', en: 'The server sent an unexpected reply' },
    action: { 'zh-CN': '稍后对该组重试；检查代理设置。', en: 'Retry the group later; check proxy settings.' },
  },
} as const satisfies Record<string, CatalogEntry>
