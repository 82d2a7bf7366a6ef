/**
 * Only our own page, in its top frame, may call the main process: not an iframe it embeds, not a
 * page it was navigated to (vscode's ipcMain does the same). Kept free of Electron so the rule is
 * tested as it is; `WebFrameMain` and Playwright's `Frame` both fit this shape.
 */
export interface FrameLike {
  readonly url: string
  readonly isTop: boolean
}

export function isTrustedSender(frame: FrameLike | null | undefined, appUrl: string): boolean {
  if (!frame || !frame.isTop) return false
  let actual: URL
  let expected: URL
  try {
    actual = new URL(frame.url)
    expected = new URL(appUrl)
  } catch {
    return false
  }
  if (actual.protocol !== expected.protocol) return false
  // file:// has no origin worth the name: compare the page itself.
  if (expected.protocol === 'file:') return actual.pathname === expected.pathname
  return actual.origin === expected.origin
}
