#!/usr/bin/env bash
# `npm run app`: installs what is missing, builds the desktop app and launches it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh app
npx tauri build --debug --no-bundle
exec target/debug/cloudcreds-app "$@"
