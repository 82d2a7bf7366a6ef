/**
 * `npm run sim [-- --port N]`: a CCC + OSS simulator to point the app or the CLI at by hand.
 * The key and secret it prints are simulator-only test values, not Alibaba Cloud credentials.
 */
import { startSim } from '../test/sim/index.ts'

function parsePort(args: readonly string[]): number {
  const i = args.findIndex((a) => a === '--port' || a.startsWith('--port='))
  if (i < 0) return 0
  const arg = args[i] ?? ''
  const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[i + 1]
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port wants a number from 0 to 65535, got ${text ?? 'nothing'}`)
    process.exit(2)
  }
  return port
}

const sim = await startSim({ port: parsePort(process.argv.slice(2)) })
console.log(
  [
    'CCC + OSS simulator running (SIMULATOR TEST VALUES ONLY: not real Alibaba Cloud credentials)',
    `  endpoint          ${sim.endpoint}`,
    `  instance ID       ${sim.instanceId}`,
    `  AccessKey ID      ${sim.accessKeyId}`,
    `  AccessKey secret  ${sim.accessKeySecret}`,
    'Any file name exists (1-64 KiB of deterministic bytes). Press Ctrl-C to stop.',
  ].join('\n'),
)

let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  sim.close().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e)
      process.exit(1)
    },
  )
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
