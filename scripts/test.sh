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
if command -v cargo-nextest >/dev/null; then
  xvfb-run -a -s "-screen 0 1920x1080x24" \
    cargo nextest run --workspace --locked --run-ignored all --no-fail-fast \
    -E 'not test(/needs_secret_service/)'
else
  xvfb-run -a -s "-screen 0 1920x1080x24" \
    cargo test --workspace --locked --no-fail-fast -- --include-ignored \
    --skip needs_secret_service
fi

step "keystore (a Secret Service in a D-Bus session of its own)"
dbus-run-session -- bash scripts/keyring-test.sh
step "done; screenshots in $FILROUGE_ARTIFACTS"
