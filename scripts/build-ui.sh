#!/usr/bin/env bash
# Builds the Fil rouge UI (src-ui) into src-ui/dist, ready for the Tauri shell's
# frontendDist or for a plain static server.
#
#   scripts/build-ui.sh            debug build
#   scripts/build-ui.sh --release  release build, then wasm-opt -Oz if the npm
#                                  package binaryen is installed (node_modules/.bin)
#
# Needs the wasm32-unknown-unknown target and wasm-bindgen-cli at exactly the
# wasm-bindgen version in Cargo.lock:
#   cargo install wasm-bindgen-cli --version <that version>
# Respects CARGO_TARGET_DIR (the wasm is found through `cargo metadata`).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

profile=debug
cargo_flags=()
case "${1:-}" in
    "") ;;
    --release)
        profile=release
        cargo_flags+=(--release)
        ;;
    *)
        echo "usage: $0 [--release]" >&2
        exit 2
        ;;
esac

die() {
    echo "build-ui: $*" >&2
    exit 1
}

# wasm-bindgen's CLI and the crate linked into the wasm must be the same version,
# or the generated glue does not match the module.
wanted="$(awk '
    $0 == "[[package]]" { name = "" }
    $1 == "name" && $3 == "\"wasm-bindgen\"" { name = "wasm-bindgen" }
    name == "wasm-bindgen" && $1 == "version" { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)"
[ -n "$wanted" ] || die "no wasm-bindgen entry in Cargo.lock; run 'cargo generate-lockfile' or a cargo build first"
command -v wasm-bindgen >/dev/null 2>&1 ||
    die "wasm-bindgen not found on PATH; install it with: cargo install wasm-bindgen-cli --version $wanted"
have="$(wasm-bindgen --version | awk '{ print $2 }')"
[ "$have" = "$wanted" ] ||
    die "wasm-bindgen CLI is $have but Cargo.lock has wasm-bindgen $wanted; install the matching one with: cargo install wasm-bindgen-cli --version $wanted"

cargo build -p filrouge-ui --target wasm32-unknown-unknown ${cargo_flags[@]+"${cargo_flags[@]}"}

target_dir="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
wasm="$target_dir/wasm32-unknown-unknown/$profile/filrouge-ui.wasm"
[ -f "$wasm" ] || die "expected $wasm after the build, but it is not there"

dist="$root/src-ui/dist"
rm -rf "$dist"
mkdir -p "$dist"
wasm-bindgen --target web --no-typescript --out-name filrouge_ui --out-dir "$dist" "$wasm"

if [ "$profile" = release ]; then
    # Only binaryen from npm: Debian's wasm-opt (binaryen 108) silently breaks the
    # module (blank page, "__wbindgen_init_externref_table" TypeError).
    wasm_opt="$root/node_modules/.bin/wasm-opt"
    if [ -x "$wasm_opt" ]; then
        # The features rustc's wasm32-unknown-unknown target enables by default.
        "$wasm_opt" -Oz --enable-bulk-memory --enable-mutable-globals \
            --enable-nontrapping-float-to-int --enable-sign-ext \
            --enable-reference-types --enable-multivalue \
            -o "$dist/filrouge_ui_bg.wasm" "$dist/filrouge_ui_bg.wasm"
    else
        echo "build-ui: $wasm_opt not found, skipping wasm-opt (npm install binaryen to use it)" >&2
    fi
fi

cp src-ui/index.html src-ui/boot.js src-ui/styles.css "$dist/"
echo "build-ui: $profile build in $dist ($(du -h "$dist/filrouge_ui_bg.wasm" | cut -f1) of wasm)"
