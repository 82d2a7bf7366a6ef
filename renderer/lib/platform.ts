/** The OS as its users name it ("Windows", not node's "win32"): proper names, the same in every language. */
export function platformName(platform: string): string {
  switch (platform) {
    case 'win32':
      return 'Windows'
    case 'darwin':
      return 'macOS'
    case 'linux':
      return 'Linux'
    default:
      return platform
  }
}
