import { type CatalogEntry, fatalKey } from './error-catalog-types.ts'

/**
 * The codes of what a user asks for: an export folder that cannot be used, a list that cannot be
 * read, a date range or filter that makes no sense, a command typed wrongly. Nothing was started,
 * so the CLI exits 2 on every `Export.Conflict`, `Export.InUse`, `Export.OutputUnusable`, `Import.*`, `Source.*` and `Usage`.
 */

export const INPUT_ERRORS = {
  // Export folders (main/engine/export) and the app's requests about them (main/electron).
  'Export.Conflict': {
    ...fatalKey,
    meaning: { 'zh-CN': '这个文件夹中已有另一个导出', en: 'This folder holds another export' },
    action: {
      'zh-CN': '选择其他输出文件夹；若要在这里重新开始，把文件夹中的 .ccc-recordings 移到别处。',
      en: 'Choose another output folder; to start afresh here, move the folder’s .ccc-recordings aside.',
    },
  },
  'Export.InUse': {
    ...fatalKey,
    meaning: { 'zh-CN': '另一个程序正在使用这个导出文件夹', en: 'Another program has this export folder open' },
    action: {
      'zh-CN': '在那边关闭它（命令行或另一个窗口），或选择其他文件夹；若确实没有程序在用，删除文件夹中的 .ccc-recordings/lock。',
      en: 'Close it there (a command line or another window), or choose another folder; if nothing is using it, delete .ccc-recordings/lock in the folder.',
    },
  },
  'Export.OutputUnusable': {
    ...fatalKey,
    meaning: { 'zh-CN': '无法使用这个输出文件夹', en: 'The output folder cannot be used' },
    action: {
      'zh-CN': '按提示处理（路径中有同名文件、没有写入权限、只读磁盘或被设为不可更改的文件），或选择其他输出文件夹。',
      en: 'Fix what the message names (a file in the way, no permission to write, a read-only disk, an immutable file), or choose another output folder.',
    },
  },
  'Export.Busy': {
    ...fatalKey,
    meaning: { 'zh-CN': '该文件夹中的导出正在进行', en: 'An export is running in that folder' },
    action: { 'zh-CN': '先暂停它，或选择其他输出文件夹。', en: 'Pause it first, or choose another output folder.' },
  },
  'Export.NotFound': {
    ...fatalKey,
    meaning: { 'zh-CN': '该文件夹中没有导出', en: 'There is no export in that folder' },
    action: { 'zh-CN': '在“历史”中选择仍然存在的导出，或开始新的导出。', en: 'Pick an export that still exists in History, or start a new one.' },
  },
  'Export.ListNotRecorded': {
    ...fatalKey,
    meaning: { 'zh-CN': '首次运行在记录名单之前就被中断，该导出中没有任何文件', en: 'The first run was stopped before it recorded its list: the export holds no files' },
    action: { 'zh-CN': '用同一名单再次开始下载到该文件夹。', en: 'Start the download again with the same list, into the same folder.' },
  },
  'Export.NotRunning': {
    ...fatalKey,
    meaning: { 'zh-CN': '该导出没有打开', en: 'That export is not open' },
    action: { 'zh-CN': '在“历史”中重新打开它。', en: 'Open it again from History.' },
  },
  // Lists of names (main/engine/import): the message names the file and the row.
  'Import.Expired': {
    ...fatalKey,
    meaning: { 'zh-CN': '该列表已不在内存中', en: 'That list is no longer loaded' },
    action: { 'zh-CN': '重新添加这个列表。', en: 'Add the list again.' },
  },
  'Import.Unreadable': {
    ...fatalKey,
    meaning: { 'zh-CN': '无法读取该列表文件', en: 'The list file cannot be read' },
    action: { 'zh-CN': '检查文件是否存在、是否有读取权限。', en: 'Check that the file exists and that you may read it.' },
  },
  'Import.NotText': {
    ...fatalKey,
    meaning: { 'zh-CN': '该文件不是文本列表', en: 'The file is not a text list' },
    action: { 'zh-CN': '选择 CSV 或 TXT 列表（Excel 文件请先另存为 CSV）。', en: 'Choose a CSV or text list (save a spreadsheet as CSV first).' },
  },
  'Import.UnclosedQuote': {
    ...fatalKey,
    meaning: { 'zh-CN': '列表中有未闭合的引号', en: 'A quoted field in the list is never closed' },
    action: { 'zh-CN': '在提示的行中删除或补全多余的双引号。', en: 'Remove or close the stray double quote in the row named.' },
  },
  'Import.RecordTooLarge': {
    ...fatalKey,
    meaning: { 'zh-CN': '列表中有一行过长', en: 'A row of the list is too long' },
    action: { 'zh-CN': '检查该行，通常是引号没有闭合。', en: 'Check that row: usually a quote left open.' },
  },
  'Import.Malformed': {
    ...fatalKey,
    meaning: { 'zh-CN': '列表不是有效的 CSV', en: 'The list is not valid CSV' },
    action: { 'zh-CN': '按提示修正该行。', en: 'Correct the row named in the message.' },
  },
  'Import.NoSuchColumn': {
    ...fatalKey,
    meaning: { 'zh-CN': '列表中没有指定的列', en: 'The list has no such column' },
    action: { 'zh-CN': '按提示中的表头检查列名或列号。', en: 'Check the column name or number against the header shown.' },
  },
  'Import.NoRecordingNames': {
    ...fatalKey,
    meaning: { 'zh-CN': '所选列中没有录音文件名', en: 'The column read holds no recording file names' },
    action: {
      'zh-CN': '录音文件名以扩展名结尾（如 .wav、.mp3）。请选择文件名所在的列（命令行用 --column），提示中列出了表头和读到的值。',
      en: 'A recording name ends in its extension (.wav, .mp3). Choose the column of file names (--column on the command line); the message shows the header and the values read.',
    },
  },
  'Import.BadOption': {
    ...fatalKey,
    meaning: { 'zh-CN': '导入选项相互矛盾', en: 'The import options do not work together' },
    action: { 'zh-CN': '按提示修改选项。', en: 'Change the options as the message says.' },
  },
  // Listed sources (main/engine/import/sources.ts): one code per field, so the app can point at it.
  'Source.contacts': {
    ...fatalKey,
    meaning: { 'zh-CN': '没有有效的联系 ID', en: 'There are no valid contact IDs' },
    action: { 'zh-CN': '粘贴或选择包含联系 ID（ContactId）的列表。', en: 'Paste or choose a list of contact IDs (ContactId).' },
  },
  'Source.from': {
    ...fatalKey,
    meaning: { 'zh-CN': '开始时间无效', en: 'The start time is not valid' },
    action: { 'zh-CN': '使用 ISO 8601 时间，例如 2024-03-01T00:00:00+08:00。', en: 'Use an ISO 8601 time, e.g. 2024-03-01T00:00:00+08:00.' },
  },
  'Source.to': {
    ...fatalKey,
    meaning: { 'zh-CN': '结束时间无效', en: 'The end time is not valid' },
    action: { 'zh-CN': '使用晚于开始时间的 ISO 8601 时间。', en: 'Use an ISO 8601 time after the start.' },
  },
  'Source.phone': {
    ...fatalKey,
    meaning: { 'zh-CN': '电话号码筛选条件无效', en: 'The phone number filter is not usable' },
    action: { 'zh-CN': '最多 64 个字符，不含控制字符。', en: 'Use at most 64 characters, without control characters.' },
  },
  'Source.contactType': {
    ...fatalKey,
    meaning: { 'zh-CN': '呼叫类型筛选条件无效', en: 'The call type filter is not usable' },
    action: { 'zh-CN': '使用 Inbound、Outbound 或 Internal（不区分大小写）。', en: 'Use Inbound, Outbound or Internal (any case).' },
  },
  'Source.disposition': {
    ...fatalKey,
    meaning: { 'zh-CN': '通话结果筛选条件无效', en: 'The call outcome (disposition) filter is not usable' },
    action: { 'zh-CN': '最多 64 个字符，不含控制字符。', en: 'Use at most 64 characters, without control characters.' },
  },
  // A file-name list given to a CCC 2.0 profile (issue 14 item 2): engine/ccc/v2/source-api.ts.
  'Api.V1NamesOnV2': {
    ...fatalKey,
    meaning: {
      'zh-CN': '录音文件名列表只适用于呼叫中心 1.0；云联络中心 2.0 按通话ID 查找录音',
      en: 'A list of recording file names is a CCC 1.0 notion; CCC 2.0 finds recordings by contact ID',
    },
    action: {
      'zh-CN': '在云联络中心控制台的通话记录中导出“通话ID”列，用“通话ID”来源粘贴或选择；或改用时间范围。若每个名称都是“通话ID.wav”（单轨混音）或“通话ID.mkv”（多声道），可直接使用。',
      en: 'Export the Contact ID column of the call records in the CCC console and use it as the contact IDs source, or download a date range. A list whose every name is <contactId>.wav (mixed) or <contactId>.mkv (one track per party) is used as it is.',
    },
  },
  'Template.Invalid': {
    ...fatalKey,
    meaning: { 'zh-CN': '命名模板无法使用', en: 'The naming template cannot be used' },
    action: {
      'zh-CN': '按提示修改模板：占位符须为已知名称（如 {date}、{agent}、{col:列名}），花括号须成对。',
      en: 'Fix the template as the message says: known placeholders only (such as {date}, {agent}, {col:<header>}), braces in pairs.',
    },
  },
  'Filter.Invalid': {
    ...fatalKey,
    meaning: { 'zh-CN': '筛选条件无效', en: 'A filter is not usable' },
    action: { 'zh-CN': '按提示修改筛选条件（例如时长须为秒数）。', en: 'Fix the filter as the message says (durations are in seconds, for example).' },
  },
  // The app's Settings and its nightly sync (issue 18).
  'Timetable.Invalid': {
    ...fatalKey,
    meaning: { 'zh-CN': '带宽时间表无法使用', en: 'The bandwidth timetable cannot be used' },
    action: {
      'zh-CN': '按提示修改带宽时间表：每项为“时间,速率”，以空格分隔，如 08:00,2MB/s 20:00,off，可在时间前加星期（Mon-08:00,off）。',
      en: 'Fix the bandwidth timetable as the message says: entries of time,rate separated by spaces, such as 08:00,2MB/s 20:00,off, a day before the time optional (Mon-08:00,off).',
    },
  },
  'Sync.NoCommandLine': {
    ...fatalKey,
    meaning: { 'zh-CN': '找不到 ccc-recordings 命令行程序', en: 'The ccc-recordings command line was not found' },
    action: {
      'zh-CN': '夜间同步由系统计划任务运行命令行：先安装它（npm install -g ccc-recordings），再重新打开应用。',
      en: 'The nightly sync is run by the system scheduler through the command line: install it (npm install -g ccc-recordings), then reopen the app.',
    },
  },
  // The command line (main/cli).
  Usage: {
    ...fatalKey,
    meaning: { 'zh-CN': '命令用法有误', en: 'The command was not used as it should be' },
    action: { 'zh-CN': '运行 ccc-recordings --help 查看用法。', en: 'Run ccc-recordings --help to see the usage.' },
  },
} as const satisfies Record<string, CatalogEntry>
