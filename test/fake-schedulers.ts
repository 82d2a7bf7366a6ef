import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Stand-ins for crontab and systemctl, real executables that keep their state in `$HOME`, so a
 * test's PATH finds them first and the user's own crontab and systemd are never touched.
 * `FAKE_SYSTEMD_EXIT` makes `systemctl --user show-environment` fail (no user systemd), and
 * `FAKE_ENABLE_EXIT` makes `enable` fail.
 */
const FAKE_CRONTAB = `#!/bin/sh
f="$HOME/crontab.txt"
case "$1" in
  -l) [ -f "$f" ] || { echo "no crontab for tester" >&2; exit 1; }; cat "$f" ;;
  -) cat > "$f" ;;
  *) exit 2 ;;
esac
`
const FAKE_SYSTEMCTL = `#!/bin/sh
echo "$*" >> "$HOME/systemctl.log"
if [ "$2" = show-environment ]; then exit \${FAKE_SYSTEMD_EXIT:-0}; fi
if [ "$2" = enable ]; then exit \${FAKE_ENABLE_EXIT:-0}; fi
exit 0
`

/** Writes both into `bin` (made if missing); the PATH to put first is `bin`. */
export async function installFakeSchedulers(bin: string): Promise<void> {
  await mkdir(bin, { recursive: true })
  for (const [name, text] of [['crontab', FAKE_CRONTAB], ['systemctl', FAKE_SYSTEMCTL]] as const) {
    await writeFile(join(bin, name), text)
    await chmod(join(bin, name), 0o755)
  }
}
