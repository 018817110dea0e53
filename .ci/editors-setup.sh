#!/usr/bin/env bash
# Installs everything the editor end-to-end tests (editors/e2e) need, on a fresh
# Debian machine: Neovim, Emacs + eglot, Chromium, the VS Code extension's
# npm packages and its .vsix, playwright-core and code-server.
#
# Idempotent: every step checks first and is skipped when already done, so a
# second run takes a few seconds.
#
# Environment:
#   IAMLENS_E2E_CACHE  where playwright-core and code-server go
#                      (default /opt/iamlens-e2e; the tests read the same variable)
#
# Run as root (apt-get). Uses only Debian's archive and the npm registry.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${IAMLENS_E2E_CACHE:-/opt/iamlens-e2e}"
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.2

export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export DEBIAN_FRONTEND=noninteractive

log() { printf '[editors-setup %s] %s\n' "$(date +%T)" "$*"; }
started=$SECONDS

# code-server 4.100.3 and @vscode/vsce need Node 20 (the machine image has it).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  log "node and npm are not on PATH: install Node.js 20 or newer, then run this again"
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if ((node_major < 20)); then
  log "Node $(node --version) is too old: code-server $CODE_SERVER_VERSION and vsce need Node 20 or newer"
  exit 1
fi

# --- Debian packages ----------------------------------------------------------
APT_PACKAGES=(neovim emacs-nox elpa-eglot chromium ripgrep build-essential pkg-config
  libkrb5-dev libsecret-1-dev fonts-dejavu-core)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  aptlog="$(mktemp)"
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$aptlog" 2>&1; then
    tail -n 40 "$aptlog"
    log "apt-get install FAILED (full log: $aptlog)"
    exit 1
  fi
  rm -f "$aptlog"
else
  log "Debian packages already installed"
fi

mkdir -p "$CACHE"

# --- playwright-core (drives Debian's Chromium; downloads no browser) ---------
PW="$CACHE/playwright-$PLAYWRIGHT_VERSION"
if [[ ! -f "$PW/.done" ]]; then
  log "npm install playwright-core@$PLAYWRIGHT_VERSION into $PW"
  rm -rf "$PW" && mkdir -p "$PW"
  (cd "$PW" && npm init -y >/dev/null && npm install --no-audit --no-fund "playwright-core@$PLAYWRIGHT_VERSION")
  touch "$PW/.done"
else
  log "playwright-core $PLAYWRIGHT_VERSION already in $PW"
fi

# --- code-server (VS Code in the browser), built without network downloads ----
# A plain install fails offline: @vscode/ripgrep's install script downloads a
# binary. Install with scripts off, then point it at Debian's rg.
CS="$CACHE/code-server-$CODE_SERVER_VERSION"
if [[ ! -f "$CS/.done" ]]; then
  log "installing code-server $CODE_SERVER_VERSION into $CS (takes ~2 minutes)"
  rm -rf "$CS" && mkdir -p "$CS"
  (
    set -e
    export npm_config_nodedir=/usr npm_config_yes=true
    cd "$CS"
    npm init -y >/dev/null
    npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION"
    npm rebuild argon2
    cd node_modules/code-server/lib/vscode
    npm install --no-audit --no-fund --omit=dev --ignore-scripts
    mkdir -p node_modules/@vscode/ripgrep/bin
    ln -sf /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
    npm rebuild --foreground-scripts
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sf code-linux.sh code-server)
    (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
    cd extensions
    npm install --no-audit --no-fund --omit=dev --foreground-scripts
  ) >"$CACHE/code-server-install.log" 2>&1 || {
    log "code-server install FAILED; last lines of $CACHE/code-server-install.log:"
    tail -n 40 "$CACHE/code-server-install.log"
    exit 1
  }
  touch "$CS/.done"
else
  log "code-server $CODE_SERVER_VERSION already in $CS"
fi

# --- The VS Code extension (npm ci + .vsix) -----------------------------------
EXT="$ROOT/editors/vscode"
version="$(node -p "require('$EXT/package.json').version")"
vsix="$EXT/iamlens-$version.vsix"
stamp="$EXT/node_modules/.iamlens-lock-stamp"
if [[ ! -f "$stamp" ]] || ! cmp -s "$EXT/package-lock.json" "$stamp"; then
  log "npm ci in editors/vscode"
  (cd "$EXT" && npm ci --no-audit --no-fund)
  cp "$EXT/package-lock.json" "$stamp"
else
  log "editors/vscode node_modules up to date"
fi
# Rebuild the .vsix when any source file is newer than it.
if [[ ! -f "$vsix" ]] || [[ -n "$(find "$EXT/src" "$EXT/package.json" "$EXT/README.md" \
  -newer "$vsix" -print -quit)" ]]; then
  log "npm run package -> $(basename "$vsix")"
  (cd "$EXT" && npm run --silent package)
else
  log "$(basename "$vsix") up to date"
fi

log "done in $((SECONDS - started)) s (cache: $CACHE)"
