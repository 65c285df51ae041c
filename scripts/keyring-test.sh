#!/usr/bin/env bash
# Runs the tests that need a Secret Service, inside the D-Bus session that
# `dbus-run-session` made for it (scripts/test.sh): starts gnome-keyring's secrets
# component with a throwaway login keyring (gnome-keyring makes it only for a non-empty
# password), in throwaway directories, so that nothing of the machine's own keyrings is
# touched.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
printf 'trousseau-de-test' | gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null

# Wait (10 s at most) until the keyring answers with its default collection.
for _ in $(seq 50); do
  if dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
      org.freedesktop.Secret.Service.ReadAlias string:default 2>/dev/null \
      | grep -q 'collection/login'; then
    break
  fi
  sleep 0.2
done

if command -v cargo-nextest >/dev/null; then
  cargo nextest run -p filrouge-app --locked --run-ignored only -E 'test(/needs_secret_service/)'
else
  cargo test -p filrouge-app --locked -- --ignored needs_secret_service
fi
