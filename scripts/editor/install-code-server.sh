#!/usr/bin/env bash
# Installs code-server (VS Code's workbench and extension host, from the npm registry) into a
# cache folder, for running the editor tests and `npm start` without downloading VS Code.
# Idempotent: an existing complete install is reused.
set -euo pipefail
VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${KEYSHARE_CACHE:-$ROOT/.cache}"
TARGET="$CACHE/code-server-$VERSION"

if [ -f "$TARGET/.complete" ]; then
  echo "$TARGET"
  exit 0
fi
command -v rg >/dev/null || { echo "install-code-server: ripgrep (rg) is required: apt-get install ripgrep" >&2; exit 1; }

rm -rf "$TARGET" "$TARGET.tmp"
mkdir -p "$TARGET.tmp"
cd "$TARGET.tmp"
echo "install-code-server: fetching code-server@$VERSION from the npm registry" >&2
npm pack "code-server@$VERSION" --silent >/dev/null
tar xzf "code-server-$VERSION.tgz"
rm "code-server-$VERSION.tgz"
cd package
# Its own postinstall downloads prebuilt binaries; install without scripts, then rebuild natives.
npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2
(cd lib/vscode && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
(cd lib/vscode && npm_config_yes=true npm rebuild kerberos node-pty @vscode/spdlog native-watchdog @parcel/watcher --loglevel=error >&2)
(cd node_modules/argon2 && npx --yes node-pre-gyp rebuild --build-from-source --loglevel=error >&2)
mkdir -p lib/vscode/node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" lib/vscode/node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules lib/vscode/node_modules.asar
cd "$CACHE"
mv "$TARGET.tmp/package" "$TARGET"
rm -rf "$TARGET.tmp"
touch "$TARGET/.complete"
echo "$TARGET"
