#!/usr/bin/env bash
# Builds the Debian packages into dist/ (or $FILROUGE_DIST):
#   filrouge-server_<version>_<arch>.deb  the `filrouge` binary, a `filrouge` system user,
#                                         a hardened systemd unit, /var/lib/filrouge,
#                                         /etc/filrouge/filrouge.env
#   Fil rouge_<version>_<arch>.deb        the desktop app, by Tauri's bundler
#   bash scripts/package.sh            both
#   bash scripts/package.sh server     the server's only (no tauri-cli needed)
# Safe to run twice; installs what is missing (tauri-cli, pinned, for the app's).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
bash scripts/setup.sh
. scripts/env.sh
dist=${FILROUGE_DIST:-$PWD/dist}
mkdir -p "$dist"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
# CI checks the server's package from the debug build (FILROUGE_PACKAGE_PROFILE=debug),
# quickly compressed; a real package is the release build, xz-compressed.
profile=${FILROUGE_PACKAGE_PROFILE:-release}
arch=$(dpkg --print-architecture)

server_deb() {
  local build=(--locked -p filrouge-cli) compress=(-Zxz)
  if [ "$profile" = release ]; then
    build+=(--release)
  else
    compress=(-Zgzip -z1)
  fi
  cargo build "${build[@]}"
  local stage="$CARGO_TARGET_DIR/package/filrouge-server"
  rm -rf "$stage"
  install -d "$stage/DEBIAN" "$stage/usr/bin" "$stage/lib/systemd/system" \
    "$stage/etc/filrouge" "$stage/usr/share/doc/filrouge-server"
  install -m 0755 "$CARGO_TARGET_DIR/$profile/filrouge" "$stage/usr/bin/filrouge"
  install -m 0644 packaging/filrouge.service "$stage/lib/systemd/system/filrouge.service"
  install -m 0640 packaging/filrouge.env "$stage/etc/filrouge/filrouge.env"
  install -m 0644 packaging/copyright "$stage/usr/share/doc/filrouge-server/copyright"
  for script in postinst prerm postrm; do
    install -m 0755 "packaging/$script" "$stage/DEBIAN/$script"
  done
  echo "/etc/filrouge/filrouge.env" > "$stage/DEBIAN/conffiles"
  local size
  size=$(du -sk "$stage" | cut -f1)
  cat > "$stage/DEBIAN/control" <<EOF
Package: filrouge-server
Version: $version
Architecture: $arch
Maintainer: Fil rouge <contact@filrouge.invalid>
Installed-Size: $size
Depends: libc6 (>= 2.36), adduser, systemd
Suggests: postgresql
Section: net
Priority: optional
Homepage: https://filrouge.invalid
Description: Fil rouge team server
 The server an outreach team's devices sync through: enrolment, device tokens and
 each team's change log, which it stores without reading it (teams seal their
 records end to end). Speaks HTTPS with its own certificate, whose fingerprint the
 invitation links carry. SQLite by default; PostgreSQL for many teams.
EOF
  dpkg-deb --root-owner-group "${compress[@]}" --build "$stage" "$dist/filrouge-server_${version}_${arch}.deb"
}

app_deb() {
  if ! cargo tauri --version 2>/dev/null | grep -q "^tauri-cli 2.12.4"; then
    echo "package: installing tauri-cli 2.12.4 (about 15 minutes, once)"
    cargo install tauri-cli --version 2.12.4 --locked
  fi
  bash scripts/build-ui.sh --release
  (cd src-tauri && cargo tauri build --bundles deb --ci \
    --config '{"bundle":{"active":true,"linux":{"deb":{"depends":[]}}}}')
  cp "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb "$dist/"
}

case "$what" in
  server) server_deb ;;
  app) app_deb ;;
  all) server_deb; app_deb ;;
  *) echo "usage: scripts/package.sh [server|app|all]" >&2; exit 2 ;;
esac
ls -l "$dist"
