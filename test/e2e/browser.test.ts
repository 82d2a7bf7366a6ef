import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { skipReason, titled } from '../requirement.ts'
import { browserCandidates, findBrowser } from './browser.ts'

describe('finding a browser for the e2e tests', () => {
  it('takes CHROME_PATH alone when it is set', () => {
    expect(browserCandidates({ CHROME_PATH: '/opt/x/chrome' }, 'linux')).toEqual(['/opt/x/chrome'])
    expect(findBrowser({ CHROME_PATH: '/opt/x/chrome' }, 'linux', () => false)).toBeUndefined()
  })

  it("looks where each system installs Chromium, Chrome and Edge", () => {
    expect(findBrowser({}, 'linux', (p) => p === '/usr/bin/google-chrome')).toBe('/usr/bin/google-chrome')
    expect(findBrowser({}, 'linux', (p) => p.startsWith('/usr/bin/'))).toBe('/usr/bin/chromium')
    expect(browserCandidates({ HOME: '/Users/li' }, 'darwin')).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')
    expect(browserCandidates({ HOME: '/Users/li' }, 'darwin')).toContain('/Users/li/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge')
    const edge = join('C:/Program Files (x86)', 'Microsoft', 'Edge', 'Application', 'msedge.exe')
    expect(findBrowser({ PROGRAMFILES: 'C:/Program Files', 'PROGRAMFILES(X86)': 'C:/Program Files (x86)' }, 'win32', (p) => p === edge)).toBe(edge)
  })
})

describe('a test requirement', () => {
  it('skips with its reason, or fails where CCC_REQUIRE names it', () => {
    expect(skipReason('browser', null, { CCC_REQUIRE: 'browser' })).toBeNull()
    expect(skipReason('browser', 'no browser', {})).toBe('no browser')
    expect(skipReason('browser', 'no browser', { CCC_REQUIRE: 'keyring' })).toBe('no browser')
    expect(() => skipReason('browser', 'no browser', { CCC_REQUIRE: 'keyring, browser' })).toThrow(/CCC_REQUIRE includes "browser", but no browser/)
    expect(titled('x', 'why')).toBe('x [skipped: why]')
    expect(titled('x', null)).toBe('x')
  })
})
