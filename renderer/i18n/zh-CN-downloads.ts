import type { enDownloads } from './en-downloads.ts'

/** 下载队列（多个导出并行）的界面文字；键与 en-downloads.ts 一致。 */
export const zhCNDownloads: { readonly [K in keyof typeof enDownloads]: string } = {
  'exportName.pasted': '粘贴的清单',
  'exportName.contacts': '通话 ID',
  'downloads.list': '全部导出',
  'downloads.pauseAll': '全部暂停',
  'downloads.resumeAll': '全部继续',
  'downloads.name': '名称',
  'downloads.folder': '文件夹',
  'downloads.state': '状态',
  'downloads.progress': '进度',
  'downloads.speed': '速度',
  'downloads.actions': '操作',
  'downloads.pauseOne': '暂停 {name}',
  'downloads.resumeOne': '继续 {name}',
  'downloads.cancelOne': '取消 {name}',
  'downloads.selected': '所选导出的详情',
  'downloads.waitingNetwork': '自 {time} 起等待网络恢复',
  'history.remove': '从历史记录中移除',
  'history.removeHint': '文件夹及其中的文件不会被删除。',
  'columns.question': '哪一列是录音文件名？',
  'columns.explain': '第一行中没有可识别的列名。下面是文件的前几行，请选择录音文件名所在的列。',
  'columns.column': '第 {n} 列',
  'columns.header': '第一行是表头（不是文件名）',
  'columns.use': '使用此列',
}
