#!/usr/bin/env bash
# `npm test`: every check the project has, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh test
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "rustfmt";                 cargo fmt --all --check
step "clippy";                  cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test";              cargo test --workspace --locked
step "peer tests (official clients vs fake-clouds)"; bash scripts/peers.sh
step "UI type-check";           npm run --silent ui:check
step "UI unit tests";           npm run --silent ui:test
step "end-to-end (real app)";   node --test --test-concurrency=1 tests/e2e/
