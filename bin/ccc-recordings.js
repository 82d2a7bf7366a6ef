#!/usr/bin/env node
// The CLI runs from the TypeScript sources through tsx, so a checkout works after `npm install`
// with no build step (`npx ccc-recordings …`).
import { register } from 'tsx/esm/api'

register()
const { run } = await import('../main/cli/ccc-recordings.ts')
await run()
