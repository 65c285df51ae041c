#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints (host and wasm), rustdoc, the
# UI build, the app build, then every test including the real-window end-to-end test
# under Xvfb. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/setup.sh --test
. scripts/env.sh
export FILROUGE_ARTIFACTS="${FILROUGE_ARTIFACTS:-$PWD/artifacts}"
step() { echo; echo "== $* ($(( $(date +%s) - start ))s)"; }

# The build directory outlives clones (see env.sh), and every rebuild leaves its old
# test binaries and incremental caches behind: left alone they filled an 80 GB disk.
# What has not been touched for two days goes; cargo rebuilds anything still needed.
step "prune stale build outputs"
if [ -d "$CARGO_TARGET_DIR/debug/deps" ]; then
  find "$CARGO_TARGET_DIR/debug/deps" -maxdepth 1 -type f ! -name '*.*' -mtime +2 -delete
fi
if [ -d "$CARGO_TARGET_DIR/debug/incremental" ]; then
  find "$CARGO_TARGET_DIR/debug/incremental" -mindepth 1 -maxdepth 1 -mtime +2 -exec rm -rf {} +
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "UI (wasm)"
bash scripts/build-ui.sh

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p filrouge-ui --target wasm32-unknown-unknown --locked -- -D warnings

step "rustdoc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "app build"
cargo build -p filrouge-app --locked
export FILROUGE_APP_BIN="$CARGO_TARGET_DIR/debug/filrouge-app"

step "tests"
mkdir -p "$FILROUGE_ARTIFACTS"
# The keystore's test needs a Secret Service: it runs in the next step, in a D-Bus
# session of its own.
# A throwaway PostgreSQL cluster serves the PostgreSQL storage's tests.
if command -v cargo-nextest >/dev/null; then
  bash scripts/with-postgres.sh xvfb-run -a -s "-screen 0 1920x1080x24" \
    cargo nextest run --workspace --locked --run-ignored all --no-fail-fast \
    -E 'not test(/needs_secret_service/)'
else
  bash scripts/with-postgres.sh xvfb-run -a -s "-screen 0 1920x1080x24" \
    cargo test --workspace --locked --no-fail-fast -- --include-ignored \
    --skip needs_secret_service
fi

step "the server's Debian package (from the debug build)"
pkg=$(mktemp -d)
FILROUGE_PACKAGE_PROFILE=debug FILROUGE_DIST="$pkg" bash scripts/package.sh server >/dev/null
deb=$(ls "$pkg"/filrouge-server_*.deb)
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/filrouge ./lib/systemd/system/filrouge.service ./etc/filrouge/filrouge.env; do
  grep -q " $f\$" <<<"$contents" || { echo "package: $f missing from $deb" >&2; exit 1; }
done
[ "$(dpkg-deb -f "$deb" Package)" = filrouge-server ]
dpkg-deb -e "$deb" "$pkg/control"
for script in postinst prerm postrm; do sh -n "$pkg/control/$script"; done
if command -v systemd-analyze >/dev/null; then
  # The unit as packaged, its binary taken from the unpacked package.
  dpkg-deb -x "$deb" "$pkg/root"
  sed "s|/usr/bin/filrouge|$pkg/root/usr/bin/filrouge|" \
    "$pkg/root/lib/systemd/system/filrouge.service" > "$pkg/filrouge.service"
  systemd-analyze verify --man=no "$pkg/filrouge.service"
fi
rm -rf "$pkg"

step "keystore (a Secret Service in a D-Bus session of its own)"
dbus-run-session -- bash scripts/keyring-test.sh
step "done; screenshots in $FILROUGE_ARTIFACTS"
