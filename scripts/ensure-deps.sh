#!/usr/bin/env bash
# Makes sure system packages and npm packages are present before an npm script runs.
#   scripts/ensure-deps.sh app|test
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh "${1:-test}"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages"
  npm ci --no-fund --no-audit
fi
