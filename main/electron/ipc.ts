import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { METHODS } from '../common/api.ts'
import type { Logger } from '../engine/log.ts'
import { dispatch, type Handlers } from './dispatch.ts'
import { isTrustedSender } from './sender-check.ts'

/**
 * Binds the handler map to ipcMain, one channel per method. Every message is checked first: it
 * must come from our own page in its top frame (a page we were navigated away to, or an iframe
 * it embeds, gets nothing). Only types come from Electron, so the binding is tested under Node.
 */
export function bindIpc(ipc: Pick<IpcMain, 'handle'>, handlers: Handlers, appUrl: string, log: Logger): void {
  for (const method of METHODS) {
    ipc.handle(method, async (event: IpcMainInvokeEvent, request: unknown) => {
      const frame = event.senderFrame
      if (!isTrustedSender(frame ? { url: frame.url, isTop: frame.parent === null } : null, appUrl)) {
        log.warn(`refused ${method} from ${frame?.url ?? 'an unknown frame'}`)
        return { ok: false, error: { code: 'Ipc.Forbidden', message: 'Refused: not the app page' } }
      }
      return dispatch(handlers, method, request)
    })
  }
}
