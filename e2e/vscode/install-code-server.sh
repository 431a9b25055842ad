#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100) into a cache folder keyed by its version, as
# ../../../shared/VSCODE-E2E.md describes: Debian packages first, a local npm install in a
# folder of its own (a global one fails with ENOTEMPTY), Debian's ripgrep put where
# @vscode/ripgrep's postinstall looks before it would download. Prints the code-server path.
set -euo pipefail

VERSION=4.100.3
CACHE_ROOT="${MIRRORD_TS_CACHE:-/var/cache/mirrord-ts}"
DIR="$CACHE_ROOT/code-server-$VERSION"
BIN="$DIR/node_modules/.bin/code-server"

need_apt=()
for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config chromium ripgrep; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need_apt+=("$pkg")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "install-code-server: apt-get install ${need_apt[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
fi

if [ -f "$BIN" ] && [ -f "$DIR/.complete" ]; then
  echo "$BIN"
  exit 0
fi

started=$(date +%s)
rm -rf "$DIR.partial"
mkdir -p "$DIR.partial"
cd "$DIR.partial"
printf '{ "name": "code-server-cache", "private": true, "version": "0.0.0" }\n' > package.json

# @vscode/ripgrep@1.15.11 looks in $TMPDIR/vscode-ripgrep-cache-1.15.11 before downloading.
tmp="$(node -p 'require("os").tmpdir()')"
rg_cache="$tmp/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rg_cache"
tar -C "$(dirname "$(command -v rg)")" -czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg

echo "install-code-server: npm install code-server@$VERSION (takes minutes)" >&2
npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund "code-server@$VERSION" >&2

rm -rf "$DIR"
mv "$DIR.partial" "$DIR"
touch "$DIR/.complete"
echo "install-code-server: installed in $(( $(date +%s) - started )) s" >&2
echo "$BIN"
