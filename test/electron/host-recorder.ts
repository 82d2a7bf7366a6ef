import type { HostPorts } from '../../main/electron/handlers.ts'

/** The shell's host calls, recorded: dialogs answer what the test chose, opens are observed. */
export function recordingHost(answers: { folder?: string | null; file?: string | null; save?: string | null } = {}) {
  const calls: { method: string; path?: string }[] = []
  const host: HostPorts = {
    version: '0.0.0-test',
    platform: 'linux',
    systemLocale: () => 'zh-CN',
    pickFolder: async () => answers.folder ?? null,
    pickFile: async () => answers.file ?? null,
    pickSavePath: async () => answers.save ?? null,
    openPath: async (path) => {
      calls.push({ method: 'openPath', path })
    },
    reveal: (path) => {
      calls.push({ method: 'reveal', path })
    },
  }
  return { host, calls }
}
