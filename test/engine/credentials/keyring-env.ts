import { randomUUID } from 'node:crypto'
import { describe } from 'vitest'

/**
 * Keychain tests run only against the private Secret Service that scripts/with-test-keyring.sh
 * starts (it sets CCC_TEST_KEYRING=1): never against a developer's own keychain.
 */
export const hasTestKeyring = process.env.CCC_TEST_KEYRING === '1'

export const NO_TEST_KEYRING =
  'no private test keyring: run through `sh scripts/with-test-keyring.sh` (npm test) on Linux with gnome-keyring and dbus installed'

/** A describe that skips itself, saying why, when the private keyring is not up. */
export function describeKeychain(name: string, fn: () => void): void {
  describe.skipIf(!hasTestKeyring)(hasTestKeyring ? name : `${name} [skipped: ${NO_TEST_KEYRING}]`, fn)
}

/** Each test file its own keychain service, so parallel files never see each other's entries. */
export function testService(): string {
  return `ccc-recordings-test-${randomUUID()}`
}
