import type { enProfiles } from './en-profiles.ts'

/** 配置的界面文字：编辑配置、API 版本（问题 14）与 STS 安全令牌（问题 15 第 8 项）；键与 en-profiles.ts 一致。 */
export const zhCNProfiles: Record<keyof typeof enProfiles, string> = {
  'profile.editTitle': '编辑配置',
  'profiles.edit': '编辑',
  'profile.nameFixed': '配置名称不可更改；如需其他名称，请新建配置。',
  'profile.accessKeyIdKept': '已保存（{masked}）；留空则保持不变',
  'profile.apiVersion': 'API 版本',
  'profile.apiVersion.v1': '2017-07-05（呼叫中心 1.0）',
  'profile.apiVersion.v2': '2020-07-01（云联络中心 2.0）',
  'profile.apiVersionHint': '“测试连接”会自动识别。新开通的实例，以及 2022 年起迁移过的 1.0 实例，都是云联络中心 2.0。',
  'profile.apiVersionDetected': '连接测试识别出该实例为{generation}：API 版本已改为 {version}，并随配置保存。',
  'profile.securityToken': 'STS 安全令牌（可选）',
  'profile.securityTokenHint': '仅用于临时凭证（以 STS. 开头的 AccessKey ID）：与 Secret 一起保存在系统凭据存储中，之后不再显示。',
  'profile.securityTokenKept': '已保存在系统凭据存储中；留空则保持不变',
  'profile.securityTokenRemove': '删除已保存的令牌',
  'profile.invalid.securityToken': '请粘贴完整的令牌，不要包含空格。',
  'profiles.sts': 'STS',
  'profiles.useApi': '改用 API 版本 {version}',
  'profiles.apiLine': 'API 版本 {version}',
  'profile.generation.v1': '呼叫中心 1.0',
  'profile.generation.v2': '云联络中心 2.0',
  'v2.recording': '录音类型（云联络中心 2.0）',
  'v2.recording.mono': '每通电话一个混音 WAV',
  'v2.recording.per-agent': '每个坐席通话段一个 WAV（含转接）',
  'v2.recording.multichannel': '每通电话一个 MKV，每方一个音轨',
  'v2.namesAsContacts': '每个名称都是“通话ID”加 .wav 或 .mkv，将按通话ID 下载：.wav 为混音录音，.mkv 为每方一个音轨。',
}
