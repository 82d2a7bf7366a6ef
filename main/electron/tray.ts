import { Menu, nativeImage, Tray } from 'electron'
import type { TrayModel } from './lifecycle.ts'

export interface TrayActions {
  open(): void
  pauseAll(): void
  quit(): void
}

/**
 * The tray icon and its menu, drawn from lifecycle.ts's model: overall progress, open, pause all,
 * quit. Rebuilt only when the model's words change, not on every progress event.
 */
export class AppTray {
  private tray: Tray | undefined
  private last = ''

  constructor(
    private readonly iconPath: string,
    private readonly actions: TrayActions,
  ) {}

  show(model: TrayModel): void {
    const key = JSON.stringify(model)
    if (key === this.last) return
    this.last = key
    if (!this.tray) {
      this.tray = new Tray(nativeImage.createFromPath(this.iconPath))
      this.tray.on('click', () => this.actions.open())
    }
    this.tray.setToolTip(model.tooltip)
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: model.status, enabled: false },
        { type: 'separator' },
        { label: model.open, click: () => this.actions.open() },
        ...(model.pauseAll ? [{ label: model.pauseAll, click: () => this.actions.pauseAll() }] : []),
        { type: 'separator' },
        { label: model.quit, click: () => this.actions.quit() },
      ]),
    )
  }
}
