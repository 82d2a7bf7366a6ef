import type { enFiles } from './en-files.ts'

/** 下载队列文件列表的界面文字（issue 13、15）：通话列、概览折叠、单个文件的错误与播放；键与 en-files.ts 一致。 */
export const zhCNFiles: { readonly [K in keyof typeof enFiles]: string } = {
  'files.columns': '显示列',
  'files.col.agent': '坐席',
  'files.col.caller': '主叫号码',
  'files.col.callee': '被叫号码',
  'files.col.start': '通话开始时间',
  'files.col.contactId': '通话 ID',
  'files.errorOf': '{name} 的错误',
  'files.errorTitle': '此文件失败的原因',
  'files.serverSaid': '原始信息',
  'files.copy': '复制',
  'files.copied': '已复制',
  'files.close': '关闭',
  'files.play': '播放',
  'files.playOne': '播放 {name}',
  'files.playing': '正在播放',
  'summary.toggle': '概览',
  'summary.failed': '{count} 个失败',
  'options.timeZone': '文件名使用的时区',
  'options.timeZoneHint': '文件名中的日期和时间按此时区计算。CCC 本身使用中国标准时间。',
  'options.sidecar': '同时在每个录音旁写入通话详情（<录音>.json）',
}
