#!/bin/sh
# Runs a command (normally `vitest run`) with a private, throwaway Secret Service, so keychain tests
# exercise the real gnome-keyring without ever touching the developer's own keychain.
#
#   sh scripts/with-test-keyring.sh vitest run [args…]
#
# On Linux with dbus-run-session and gnome-keyring-daemon: a private D-Bus session bus, a keyring
# daemon whose data lives in a fresh temp folder (removed afterwards), and CCC_TEST_KEYRING=1 so the
# keychain tests know the Secret Service they see is this private one. Anywhere else the command
# runs as is, with CCC_TEST_KEYRING unset, and the keychain tests skip themselves.
# CCC_NO_TEST_KEYRING=1 skips the private keyring on purpose.
set -u

if [ "$#" -eq 0 ]; then
  echo "usage: sh $0 <command> [args...]" >&2
  exit 2
fi

# Run directly (not from an npm script), the project's tools are still found.
root=$(cd "$(dirname "$0")/.." && pwd) || exit 1
PATH="$root/node_modules/.bin:$PATH"
export PATH

marker=${CCC_TEST_KEYRING_SESSION:-}

if [ "$marker" = starting ]; then
  # Inside the private bus that the outer invocation started. The unlock password only guards the
  # throwaway keyring in the temp folder. In the foreground the daemon's pid is ours to stop: once
  # forked it would outlive the bus.
  # The daemon has been seen to die in the middle of a run on a loaded machine, and the bus then
  # started a fresh one that only knew a locked keyring and asked for its password through a
  # prompt that cannot show here: every keychain test after it failed. So it is started again at
  # once, with the same password, by a loop that stops it (and itself) on TERM.
  (
    child=
    trap 'kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM
    while :; do
      printf 'ccc-test-keyring' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
      child=$!
      wait "$child"
      sleep 0.05
    done
  ) &
  daemon=$!
  # Waited for, so it has let go of the temp folder before that is removed.
  stop_daemon() { kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null; }
  trap stop_daemon EXIT
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # Polls the shell function $1 every 50 ms while the daemon runs, for at most 10 s; $2 says what
  # did not happen.
  wait_for() {
    tries=0
    until "$1"; do
      tries=$((tries + 1))
      if [ "$tries" -gt 200 ] || ! kill -0 "$daemon" 2>/dev/null; then
        echo "with-test-keyring: $2" >&2
        exit 1
      fi
      sleep 0.05
    done
  }
  # Asked of the bus, not of the name: a call to the name before the daemon holds it would have the
  # bus activate a second, locked daemon.
  on_bus() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
  }
  # Owning the name comes before the password on stdin has made the login keyring the unlocked
  # default: a test writing in between had the daemon ask for a keyring through a prompt that
  # cannot show here.
  unlocked() {
    dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
      org.freedesktop.Secret.Service.ReadAlias string:default 2>/dev/null | grep -q 'collection/login' &&
      dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets/collection/login \
        org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked 2>/dev/null | grep -q 'boolean false'
  }
  wait_for on_bus 'the private gnome-keyring-daemon did not come up on the bus'
  wait_for unlocked 'the private keyring was not made and unlocked'
  # The runtime folder was private only so the daemon's control socket landed in the temp folder;
  # D-Bus clients find the bus through DBUS_SESSION_BUS_ADDRESS.
  if [ -n "${CCC_TEST_KEYRING_OUTER_RUNTIME_DIR:-}" ]; then
    XDG_RUNTIME_DIR=$CCC_TEST_KEYRING_OUTER_RUNTIME_DIR
    export XDG_RUNTIME_DIR
  else
    unset XDG_RUNTIME_DIR
  fi
  unset CCC_TEST_KEYRING_OUTER_RUNTIME_DIR
  CCC_TEST_KEYRING=1
  CCC_TEST_KEYRING_SESSION=up
  export CCC_TEST_KEYRING CCC_TEST_KEYRING_SESSION
  "$@"
  exit $?
fi

if [ "$marker" = up ]; then
  # Nested call (a test spawning `npm test`, say): the private keyring is already up.
  exec "$@"
fi

# Only a keyring this script started may be used by the keychain tests.
unset CCC_TEST_KEYRING

if [ "$(uname -s 2>/dev/null)" != Linux ] || [ -n "${CCC_NO_TEST_KEYRING:-}" ]; then
  exec "$@"
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-test-keyring: $tool not found, so the keychain tests will be skipped" \
      "(apt-get install gnome-keyring dbus libsecret-tools)" >&2
    exec "$@"
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ccc-test-keyring.XXXXXX") || exit 1
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -m 700 "$tmp/data" "$tmp/run" || exit 1

CCC_TEST_KEYRING_OUTER_RUNTIME_DIR=${XDG_RUNTIME_DIR:-}
XDG_DATA_HOME=$tmp/data
XDG_RUNTIME_DIR=$tmp/run
CCC_TEST_KEYRING_SESSION=starting
export CCC_TEST_KEYRING_OUTER_RUNTIME_DIR XDG_DATA_HOME XDG_RUNTIME_DIR CCC_TEST_KEYRING_SESSION

# Not exec: the temp folder is removed once the session (and the daemon with it) is gone.
dbus-run-session -- sh "$root/scripts/with-test-keyring.sh" "$@"
status=$?
exit "$status"
