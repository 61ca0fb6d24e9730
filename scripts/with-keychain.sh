#!/bin/sh
# Runs a command with an OS keychain (the Secret Service, org.freedesktop.secrets) available.
# When the session already has one, the command runs as it is. Otherwise it runs inside a private
# D-Bus session with gnome-keyring started unlocked (an empty password fed as a newline: an empty
# string makes it ask for a GUI prompt), waits (bounded) for the service to appear on the bus, and
# stops the daemon by its PID afterwards.
#
#   scripts/with-keychain.sh npx vitest run -c main/vitest.keychain.config.ts
set -eu

if [ "$#" -eq 0 ]; then
  echo "usage: $0 command [args...]" >&2
  exit 64
fi

has_secret_service() {
  [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] &&
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
    grep -q 'boolean true'
}

if [ "${LINKBOARD_IN_KEYCHAIN_SESSION:-}" != 1 ]; then
  if has_secret_service; then
    exec "$@"
  fi
  for tool in dbus-run-session gnome-keyring-daemon dbus-send; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "$0: $tool is missing; install dbus and gnome-keyring (apt-get install -y dbus gnome-keyring)" >&2
      exit 69
    fi
  done
  LINKBOARD_IN_KEYCHAIN_SESSION=1 exec dbus-run-session -- sh "$0" "$@"
fi

# Inside the private D-Bus session.
keyring_dir=$(mktemp -d)
export XDG_DATA_HOME="$keyring_dir"
export XDG_RUNTIME_DIR="$keyring_dir"
printf '\n' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
daemon=$!
stop() {
  kill "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  rm -rf "$keyring_dir"
}
trap stop EXIT INT TERM

tries=0
until has_secret_service; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ] || ! kill -0 "$daemon" 2>/dev/null; then
    echo "$0: gnome-keyring did not provide org.freedesktop.secrets within 10 s" >&2
    exit 69
  fi
  sleep 0.1
done

status=0
"$@" || status=$?
exit "$status"
