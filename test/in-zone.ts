/**
 * Runs `run` as a user in `zone` would see dates: Node reads TZ again each time it is set, so the
 * process's local time follows it. The zone the tests started in comes back afterwards.
 */
export function inZone<T>(zone: string, run: () => T): T {
  const before = process.env.TZ
  process.env.TZ = zone
  try {
    return run()
  } finally {
    if (before === undefined) delete process.env.TZ
    else process.env.TZ = before
  }
}
