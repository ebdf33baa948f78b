#!/usr/bin/env bash
# Makes sure system packages and npm packages are present before an npm script runs.
#   scripts/ensure-deps.sh app|test
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh "${1:-test}"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages"
  # `npm install`, not `npm ci`: the lock can only list the Tauri CLI binaries the registry
  # serves for this platform, and `npm ci` refuses a lock without the other platforms' ones.
  npm install --no-fund --no-audit
fi
