import type { BrowserWindow } from 'electron'
import { onWindowClose, reopenAction } from './lifecycle.ts'
import { createWindow, type WindowFiles } from './window.ts'

/**
 * The one window across its life: closing it while exports run hides it (the app stays in the tray
 * or dock, saying so the first time), and a second launch or a tray click brings it back, creating
 * it again when it is gone. The decisions are lifecycle.ts's; this only carries them out.
 */
export class WindowKeeper {
  private win: BrowserWindow | undefined
  private noted = false
  /** Set once quitting is decided, so closing the window then really closes it. */
  quitting = false

  constructor(
    private readonly files: WindowFiles,
    private readonly activeCount: () => number,
    private readonly noteKeptRunning: () => void,
  ) {}

  get current(): BrowserWindow | undefined {
    return this.win && !this.win.isDestroyed() ? this.win : undefined
  }

  open(): BrowserWindow {
    const w = createWindow(this.files)
    w.on('close', (event) => {
      if (this.quitting) return
      const decision = onWindowClose(this.activeCount(), this.noted)
      if (!decision.keepRunning) return
      event.preventDefault()
      w.hide()
      if (decision.note) {
        this.noted = true
        this.noteKeptRunning()
      }
    })
    this.win = w
    return w
  }

  reopen(): void {
    const w = this.win
    const destroyed = w === undefined || w.isDestroyed()
    const action = reopenAction({ exists: w !== undefined, destroyed, minimized: !destroyed && w.isMinimized(), visible: !destroyed && w.isVisible() })
    if (action === 'recreate') {
      this.open()
      return
    }
    if (action === 'restore') w!.restore()
    if (action === 'show') w!.show()
    w!.focus()
  }
}
