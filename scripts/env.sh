# Sourced by the scripts: where cargo builds (outside the clone, so that a fresh clone
# reuses earlier builds) and where the cargo-installed tools are.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/filrouge/target}"
export PATH="$HOME/.cargo/bin:$PATH"
