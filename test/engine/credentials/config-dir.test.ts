import path from 'node:path'
import { expect, it } from 'vitest'
import { configDir } from '../../../main/engine/credentials/config-dir.ts'

it('follows each platform’s convention for per-user settings', () => {
  expect(configDir({ APPDATA: 'C:\\Users\\li\\AppData\\Roaming' }, 'win32', 'C:\\Users\\li')).toBe('C:\\Users\\li\\AppData\\Roaming\\CCC Recordings')
  expect(configDir({}, 'win32', 'C:\\Users\\li')).toBe('C:\\Users\\li\\AppData\\Roaming\\CCC Recordings')
  expect(configDir({}, 'darwin', '/Users/li')).toBe('/Users/li/Library/Application Support/CCC Recordings')
  expect(configDir({}, 'linux', '/home/li')).toBe('/home/li/.config/ccc-recordings')
  expect(configDir({ XDG_CONFIG_HOME: '/home/li/.cfg' }, 'linux', '/home/li')).toBe('/home/li/.cfg/ccc-recordings')
})

it('ignores a relative XDG_CONFIG_HOME, as the XDG spec says', () => {
  expect(configDir({ XDG_CONFIG_HOME: 'cfg' }, 'linux', '/home/li')).toBe('/home/li/.config/ccc-recordings')
})

it('takes CCC_RECORDINGS_CONFIG_DIR over everything, made absolute', () => {
  expect(configDir({ CCC_RECORDINGS_CONFIG_DIR: '/tmp/x', XDG_CONFIG_HOME: '/y' }, 'linux', '/home/li')).toBe('/tmp/x')
  expect(configDir({ CCC_RECORDINGS_CONFIG_DIR: 'rel' }, 'linux', '/home/li')).toBe(path.resolve('rel'))
})
