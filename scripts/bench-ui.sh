#!/usr/bin/env bash
# The field app's responsiveness on a big store (issue: start ≤ 1.5 s, save → listed
# and keystroke → result ≤ 100 ms p99), through the real window under Xvfb, next to the
# store alone on the same file. Builds the release app (the first time takes a while),
# fills a scratch store with `filrouge generate`, prints a table.
#
#   scripts/bench-ui.sh [RECORDS]     default 100000
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-100000}"
bash scripts/setup.sh --test
. scripts/env.sh
# wasm-opt from npm's binaryen (pinned in package.json) shrinks the release wasm by a
# third, which the start time feels; without npm the UI is measured unshrunk.
if [ ! -x node_modules/.bin/wasm-opt ]; then
  if command -v npm >/dev/null; then
    npm ci --no-audit --no-fund
  else
    echo "bench-ui: npm not found: the UI is measured without wasm-opt" >&2
  fi
fi
bash scripts/build-ui.sh --release
cargo build --release --locked -p filrouge-app --features tauri/custom-protocol
cargo build --release --locked -p filrouge-cli --bin filrouge
cargo build --release --locked -p filrouge-tests --bin bench-ui
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$CARGO_TARGET_DIR/release/filrouge" generate --data "$scratch/app" --records "$records"
xvfb-run -a -s "-screen 0 1920x1080x24" \
    "$CARGO_TARGET_DIR/release/bench-ui" \
    --app "$CARGO_TARGET_DIR/release/filrouge-app" --data "$scratch/app"
