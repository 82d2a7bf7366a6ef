import { type CatalogEntry, fatalKey } from './error-catalog-types.ts'

/**
 * The codes of this computer and of the app itself: the output disk and folder, the keychain,
 * profiles and credentials, the app's own plumbing (IPC, the shell), and `Unknown`.
 */

export const LOCAL_ERRORS = {
  DiskFull: {
    handling: 'pause',
    meaning: { 'zh-CN': '磁盘空间不足', en: 'The disk is full' },
    action: { 'zh-CN': '腾出磁盘空间或换一个输出文件夹，然后继续。', en: 'Free some space or choose another folder, then resume.' },
  },
  'Local.WriteFailed': {
    handling: 'fatal',
    meaning: { 'zh-CN': '无法写入输出文件夹', en: 'Cannot write to the output folder' },
    action: { 'zh-CN': '检查文件夹权限，或选择其他输出文件夹。', en: 'Check folder permissions, or choose another output folder.' },
  },
  // A link or special file where the export writes a recording or its working file (issue 17 item 4).
  'Local.NotAFile': {
    handling: 'skip',
    meaning: { 'zh-CN': '目标位置是链接或特殊文件，未写入', en: 'A link or special file is where the recording goes; it was left alone' },
    action: { 'zh-CN': '移走该链接或文件后对该组重试。', en: 'Move that link or file away, then retry the group.' },
  },
  // A file of someone else's where a recording goes (an output folder that held files before).
  'Local.FileInTheWay': {
    handling: 'skip',
    meaning: { 'zh-CN': '录音的位置上已有另一个文件，未覆盖', en: 'Another file is where the recording goes; it was left alone' },
    action: {
      'zh-CN': '移走或重命名该文件（或换一个输出文件夹），然后对该组重试。',
      en: 'Move or rename that file (or choose another output folder), then retry the group.',
    },
  },
  // A working file removed under the export (an antivirus quarantining a `.part`, a user
  // tidying the folder): this recording only, and a fresh download usually gets through.
  'Local.FileVanished': {
    handling: 'retry',
    meaning: { 'zh-CN': '正在写入的文件被其他程序删除了', en: 'A file the export was writing was removed by another program' },
    action: {
      'zh-CN': '已自动重新下载数次仍被删除。请将输出文件夹加入杀毒软件实时扫描的例外，然后对该组重试。',
      en: 'It was downloaded again a few times and removed each time. Exclude the output folder from your antivirus real-time scanning, then retry the group.',
    },
  },
  // Windows: another program (a player, a backup tool) holds the recording open, or it is read-only.
  'Local.FileBusy': {
    handling: 'skip',
    meaning: { 'zh-CN': '另一个程序正在使用该文件，或该文件为只读', en: 'Another program has the file open, or it is read-only' },
    action: {
      'zh-CN': '关闭正在使用该录音的程序（播放器、备份工具等）或取消其只读属性，然后对该组重试。',
      en: 'Close the program using that recording (a player, a backup tool) or clear its read-only attribute, then retry the group.',
    },
  },
  // A file or folder the app was asked to use outside an export (a CSV saved, a list read) that the
  // OS refused for a reason the output folder's codes do not name: in use by Excel (EBUSY), gone, …
  'Local.FileFailed': {
    ...fatalKey,
    meaning: { 'zh-CN': '无法使用该文件或文件夹', en: 'The file or folder could not be used' },
    action: {
      'zh-CN': '说明中写明了是哪个文件及原因。若另一个程序（如 Excel）正打开着它，请先关闭；确认它存在且有权限，然后重试。',
      en: 'The message names it and why. If another program (Excel, say) has it open, close it there; check that it exists and that you may use it, then try again.',
    },
  },
  InvalidFileName: {
    handling: 'skip',
    meaning: { 'zh-CN': '文件名无效', en: 'The file name is not valid' },
    action: { 'zh-CN': '在列表中修正该行的文件名。', en: 'Correct the file name in that row of the list.' },
  },
  // A recording the export did not download on purpose (a contact with no recording, say).
  Skipped: {
    handling: 'skip',
    meaning: { 'zh-CN': '已跳过', en: 'Skipped' },
    action: { 'zh-CN': '无需处理：说明中写明了原因（例如该联系没有录音）。', en: 'Nothing to do: the reason is given (a contact with no recording, say).' },
  },
  // The keychain (main/engine/credentials): saving or reading a profile's secret failed.
  'Keychain.Unavailable': {
    ...fatalKey,
    meaning: { 'zh-CN': '无法访问系统凭据存储（Windows 凭据管理器、macOS 钥匙串）', en: 'The system keychain cannot be reached' },
    action: {
      'zh-CN': 'Linux 上请在桌面会话中运行 Secret Service（GNOME Keyring 或 KeePassXC）；命令行也可改用 ALIBABA_CLOUD_ACCESS_KEY_ID 和 ALIBABA_CLOUD_ACCESS_KEY_SECRET 环境变量。密钥绝不会改存到文件里。',
      en: 'On Linux, run a Secret Service (GNOME Keyring or KeePassXC) in your desktop session; on the command line the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET variables work too. The secret is never written to a file instead.',
    },
  },
  'Keychain.NoKeyring': {
    ...fatalKey,
    meaning: { 'zh-CN': '系统凭据存储中没有默认密钥环，无法保存密钥', en: 'The system keychain has no default keyring to keep the secret in' },
    action: {
      'zh-CN': '在密钥环应用中新建一个密钥环（GNOME：“密码和密钥”，点 +，选“密码密钥环”，命名为 login）并设为默认，然后重新保存该配置。',
      en: 'Create one in your keyring app (GNOME: Passwords and Keys, + then Password keyring, named "login"), make it the default, then save the profile again.',
    },
  },
  'Keychain.Locked': {
    ...fatalKey,
    meaning: { 'zh-CN': '系统凭据存储已锁定', en: 'The system keychain is locked' },
    action: { 'zh-CN': '解锁系统凭据存储（登录桌面，或在 macOS 打开“钥匙串访问”）后重试。', en: 'Unlock it (log in to the desktop, or open your keyring app), then try again.' },
  },
  'Keychain.Denied': {
    ...fatalKey,
    meaning: { 'zh-CN': '系统拒绝访问凭据存储', en: 'Access to the system keychain was refused' },
    action: { 'zh-CN': '系统询问时允许 CCC Recordings 访问，然后重试。', en: 'Allow CCC Recordings when the system asks, then try again.' },
  },
  // Profiles (main/engine/credentials/profiles.ts) and the CLI's credentials.
  'Profiles.Damaged': {
    ...fatalKey,
    meaning: { 'zh-CN': '配置文件（profiles.json）已损坏', en: 'The profiles file (profiles.json) is damaged' },
    action: {
      'zh-CN': '按提示修正 profiles.json，或把它移走后重新添加配置；该文件未被改动。',
      en: 'Correct profiles.json as the message says, or move it away and add the profiles again; it was left unchanged.',
    },
  },
  'Schedules.Damaged': {
    ...fatalKey,
    meaning: { 'zh-CN': '计划任务记录（schedules.json）已损坏', en: 'The schedules record (schedules.json) is damaged' },
    action: {
      'zh-CN': '按提示修正 schedules.json，或把它移走后重新安装计划任务；该文件未被改动。',
      en: 'Correct schedules.json as the message says, or move it away and install the schedules again; it was left unchanged.',
    },
  },
  'Schedule.Refused': {
    ...fatalKey,
    meaning: { 'zh-CN': '系统的计划任务工具拒绝了操作', en: "The system's scheduler refused" },
    action: {
      'zh-CN': '按消息中系统工具的原话处理（权限、服务是否运行），然后重试。',
      en: "Act on the scheduler's own words in the message (permissions, whether its service runs), then try again.",
    },
  },
  'Profiles.Unreadable': {
    ...fatalKey,
    meaning: { 'zh-CN': '无法读写配置文件', en: 'The profiles file cannot be read or written' },
    action: { 'zh-CN': '检查设置文件夹的权限和磁盘空间。', en: 'Check the permissions of the settings folder and the free disk space.' },
  },
  'Profiles.Invalid': {
    ...fatalKey,
    meaning: { 'zh-CN': '配置填写有误', en: 'The profile is not valid' },
    action: { 'zh-CN': '按提示修正该字段。', en: 'Correct the field named in the message.' },
  },
  'Profiles.NotFound': {
    ...fatalKey,
    meaning: { 'zh-CN': '找不到要使用的配置', en: 'The profile to use was not found' },
    action: {
      'zh-CN': '检查配置名称；或在“设置”中添加配置、把某个配置设为默认（命令行：ccc-recordings profiles add）。',
      en: 'Check the profile name; or add a profile in Settings, or make one the default (command line: ccc-recordings profiles add).',
    },
  },
  'Profiles.SecretMissing': {
    ...fatalKey,
    meaning: { 'zh-CN': '系统凭据存储中没有该配置的 AccessKey Secret', en: "The profile's AccessKey secret is missing from the system keychain" },
    action: { 'zh-CN': '重新保存该配置并填写 AccessKey Secret。', en: 'Save the profile again with its AccessKey secret.' },
  },
  'Credentials.None': {
    ...fatalKey,
    meaning: { 'zh-CN': '没有可用的凭证', en: 'There are no credentials to use' },
    action: {
      'zh-CN': '设置 ALIBABA_CLOUD_ACCESS_KEY_ID 和 ALIBABA_CLOUD_ACCESS_KEY_SECRET，或用 --profile 指定配置，或添加一个配置。',
      en: 'Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, pass --profile, or add a profile.',
    },
  },
  'Credentials.Incomplete': {
    ...fatalKey,
    meaning: { 'zh-CN': '凭证环境变量不完整', en: 'The credential variables are incomplete' },
    action: {
      'zh-CN': '同时设置 ALIBABA_CLOUD_ACCESS_KEY_ID 与 ALIBABA_CLOUD_ACCESS_KEY_SECRET，或全部取消以改用配置。',
      en: 'Set both ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or unset them all to use a profile.',
    },
  },
  // The app's plumbing (main/electron): nothing a user did wrong, but it must still read as itself.
  'Ipc.Forbidden': {
    ...fatalKey,
    meaning: { 'zh-CN': '请求被拒绝：不是来自应用页面', en: "Refused: the request did not come from the app's page" },
    action: { 'zh-CN': '重新启动应用；若持续出现，请导出诊断信息并反馈。', en: 'Restart the app; if it persists, export diagnostics and report it.' },
  },
  'Ipc.Failed': {
    ...fatalKey,
    meaning: { 'zh-CN': '应用页面没能把请求交给主程序（窗口正在关闭，或主程序出错）', en: "The app's page could not hand its request to the main process (a window closing, or the main process failed)" },
    action: { 'zh-CN': '再试一次；若持续出现，重新启动应用，并导出诊断信息反馈。', en: 'Try again; if it persists, restart the app and export diagnostics to report it.' },
  },
  'Ipc.BadReply': {
    ...fatalKey,
    meaning: { 'zh-CN': '主程序的回复格式不对', en: 'The main process sent a reply the page cannot read' },
    action: { 'zh-CN': '重新启动应用；若持续出现，更新或重新安装应用。', en: 'Restart the app; if it persists, update or reinstall it.' },
  },
  'Ipc.UnknownMethod': {
    ...fatalKey,
    meaning: { 'zh-CN': '应用发出了无法识别的请求', en: 'The app made a request it does not know' },
    action: { 'zh-CN': '更新或重新安装应用。', en: 'Update or reinstall the app.' },
  },
  'Ipc.InvalidRequest': {
    ...fatalKey,
    meaning: { 'zh-CN': '应用内部请求的内容无效', en: 'A request inside the app was not valid' },
    action: { 'zh-CN': '检查填写的内容；若持续出现，请导出诊断信息并反馈。', en: 'Check what you entered; if it persists, export diagnostics and report it.' },
  },
  'Shell.OpenFailed': {
    ...fatalKey,
    meaning: { 'zh-CN': '无法打开该文件或文件夹', en: 'The file or folder could not be opened' },
    action: { 'zh-CN': '检查它是否仍然存在，或在文件管理器中手动打开。', en: 'Check that it still exists, or open it from your file manager.' },
  },
  Unknown: {
    handling: 'skip',
    meaning: { 'zh-CN': '未知错误', en: 'Unknown error' },
    action: { 'zh-CN': '稍后对该组重试；若持续出现，请导出诊断信息并反馈。', en: 'Retry the group later; if it persists, export diagnostics and report it.' },
  },
} as const satisfies Record<string, CatalogEntry>
