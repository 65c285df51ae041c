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
