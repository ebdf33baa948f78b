#!/usr/bin/env bash
# Peer tests: the providers' official Python clients (boto3, huggingface_hub, google-auth,
# msal) against tests/fake-clouds, so the fake accepts what they send and refuses what the
# real services refuse. Makes its own virtual environment from the pinned
# tests/peers/requirements.txt (reinstalled only when that file changes), builds the fake,
# runs pytest. Extra arguments go to pytest:
#   bash scripts/peers.sh            # every peer test
#   bash scripts/peers.sh -k aws     # one provider
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
venv="$target/peers-venv"
python="${PEERS_PYTHON:-python3}"
requirements=tests/peers/requirements.txt

if ! "$venv/bin/python" -c '' >/dev/null 2>&1; then
  # Debian and Ubuntu ship `venv`'s pip bootstrap (ensurepip) apart, in python3-venv.
  if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    bash scripts/install-system-deps.sh peers
  fi
  echo "Creating the peer-test virtual environment in $venv"
  rm -rf "$venv"
  if ! "$python" -m venv "$venv"; then
    echo "Could not create a virtual environment with '$python -m venv'. Install Python's" >&2
    echo "venv support (Debian/Ubuntu: apt-get install python3-venv) or name another" >&2
    echo "interpreter with PEERS_PYTHON=/path/to/python3, then run this again." >&2
    exit 1
  fi
fi

stamp="$venv/.requirements-stamp"
wanted="$(cat "$requirements" <("$venv/bin/python" -VV) | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "Installing the peer-test Python packages pinned in $requirements"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$wanted" >"$stamp"
fi

cargo build -p fake-clouds --locked --quiet
export FAKE_CLOUDS_BIN="$target/debug/fake-clouds"
export PYTHONDONTWRITEBYTECODE=1

status=0
"$venv/bin/python" -m pytest tests/peers "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "peer tests: pytest collected no test, which counts as a failure (check the -k filter" >&2
  echo "or tests/peers/)" >&2
  exit 1
fi
exit "$status"
