#!/usr/bin/env bash
# Installs what Fil rouge needs on a Debian 12 machine, and nothing that is already
# there: safe to run again. `--test` adds what the test suite needs (Xvfb, the WebDriver
# for the app window, tauri-driver).
#
# Versions: wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock; the UI is
# never passed through Debian's wasm-opt (it breaks the wasm, see docs/ARCHITECTURE.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)

packages=(build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev
  libxdo-dev libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev)
if [ "$want_test" = 1 ]; then
  # gnome-keyring: a Secret Service for the keystore test, under dbus-run-session;
  # postgresql: the binaries of the throwaway cluster scripts/with-postgres.sh starts.
  packages+=(xvfb xauth webkit2gtk-driver gnome-keyring dbus-daemon postgresql)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "setup: Rust is missing. Install rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
# rust-toolchain.toml pins the toolchain; make sure its wasm target is there.
rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown

wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg_version" ]; then
  echo "setup: installing wasm-bindgen-cli $wbg_version (about 2 minutes)"
  # Not --locked: its own lockfile pins a crate version the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

if [ "$want_test" = 1 ] && ! command -v tauri-driver >/dev/null; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version 2.1.0 --locked
fi
echo "setup: ready"
