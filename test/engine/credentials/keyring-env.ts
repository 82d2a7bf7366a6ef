import { randomUUID } from 'node:crypto'
import { describe } from 'vitest'
import { skipReason } from '../../requirement.ts'

/**
 * Keychain tests run only against the private Secret Service that scripts/with-test-keyring.sh
 * starts (it sets CCC_TEST_KEYRING=1): never against a developer's own keychain.
 */
export const hasTestKeyring = process.env.CCC_TEST_KEYRING === '1'

export const NO_TEST_KEYRING =
  'no private test keyring: run through `sh scripts/with-test-keyring.sh` (npm test) on Linux with gnome-keyring and dbus installed'

// CI on Linux sets CCC_REQUIRE=keyring: there a missing keyring fails every keychain test file.
const keyringSkip = skipReason('keyring', hasTestKeyring ? null : NO_TEST_KEYRING)

/** A describe that skips itself, saying why, when the private keyring is not up. */
export function describeKeychain(name: string, fn: () => void): void {
  describe.skipIf(keyringSkip !== null)(keyringSkip === null ? name : `${name} [skipped: ${keyringSkip}]`, fn)
}

/** Each test file its own keychain service, so parallel files never see each other's entries. */
export function testService(): string {
  return `ccc-recordings-test-${randomUUID()}`
}
