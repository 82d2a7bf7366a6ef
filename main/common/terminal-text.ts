/**
 * Text from servers, proxies and users' files, made harmless to print on a terminal: an escape
 * sequence in a server's message could retitle the window, clear the screen, move the cursor over
 * earlier lines or (on some terminals) answer back as if typed. Every control character is shown
 * as its `\uXXXX` escape instead, which keeps JSON output valid and meaning the same.
 */

// C0 (tab and line feed are decided by the caller), DEL, C1 (0x9b is an 8-bit CSI), and the
// bidirectional overrides and isolates that make a line read differently from its bytes.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g
const UNSAFE_OR_NEWLINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

const visible = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`

/**
 * `text` with its control characters made visible. One field of a line (a message, a name, a
 * row of a file) by default, so a line feed in it cannot forge a line of ours; `newlines: true`
 * keeps line feeds, for whole lines we have composed.
 */
export function terminalSafe(text: string, options: { newlines?: boolean } = {}): string {
  const unsafe = options.newlines ? UNSAFE : UNSAFE_OR_NEWLINE
  unsafe.lastIndex = 0
  return unsafe.test(text) ? text.replace(unsafe, visible) : text
}
