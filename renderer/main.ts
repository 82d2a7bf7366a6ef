import './zod-jitless.ts'
import { mount } from 'svelte'
import type { CccApi } from '../main/common/api.ts'
import App from './App.svelte'
import './app.css'
import './downloads.css'
import './file-list.css'
import './a11y.css'
import { connect } from './state/connect.ts'

declare global {
  interface Window {
    /** Exposed by the preload (main/preload/preload.ts); the page's only way out. */
    readonly ccc: CccApi
  }
}

// A file dropped outside the drop zone would otherwise navigate the window to it.
for (const type of ['dragover', 'drop'] as const) {
  window.addEventListener(type, (event) => event.preventDefault())
}

connect(window.ccc)

const target = document.getElementById('app')
if (target === null) throw new Error('index.html lacks #app')
mount(App, { target })
