#!/usr/bin/env bash
# Builds and opens the Fil rouge desktop app on its embedded defaults: a SQLite file in
# the OS data directory, no server needed. Extra arguments go to the app
# (e.g. `--data DIR` to run a second device).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh
bash scripts/build-ui.sh
cargo build -p filrouge-app
exec "$CARGO_TARGET_DIR/debug/filrouge-app" "$@"
