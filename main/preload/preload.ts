/**
 * Runs sandboxed with context isolation: exposes `window.ccc` (one function per contract method,
 * plus `on`) and nothing else. Bundled to CommonJS, as sandboxed preloads require.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { buildApi } from './build-api.ts'

const api = buildApi(
  (method, request) => ipcRenderer.invoke(method, request),
  (event, listener) => {
    // The IpcRendererEvent (with its sender) stays here: the page gets the payload only.
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(event, forward)
    return () => {
      ipcRenderer.removeListener(event, forward)
    }
  },
)

contextBridge.exposeInMainWorld('ccc', api)
