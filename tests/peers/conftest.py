"""Starts the `fake-clouds` binary once for the peer tests and hands them its endpoints
and throwaway test credentials; keeps the official clients away from the user's own
configuration, tokens and proxies.

The binary is built by scripts/peers.sh and named by FAKE_CLOUDS_BIN. It prints `export`
lines (endpoints, standard credential variables) and `#   name=value` lines (every test
credential); the GCP key JSON goes to the file named by GOOGLE_APPLICATION_CREDENTIALS.
"""

import json
import os
import queue
import shlex
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass

import pytest

# Set before any test module imports a client: huggingface_hub and botocore read these at
# import time. Nothing from the developer's shell (real tokens, profiles, proxies) may leak
# into a peer test, and nothing may leave loopback.
_HOME = tempfile.mkdtemp(prefix="cloudcreds-peers-")
for _name in list(os.environ):
    if _name.startswith(("AWS_", "HF_", "AZURE_", "GOOGLE_", "CLOUDSDK_", "MSAL_", "MODAL_")) or _name in (
        "HUGGING_FACE_HUB_TOKEN",
        "HUGGINGFACE_HUB_CACHE",
        "CLOUDCREDS_HOME",
    ):
        del os.environ[_name]
os.environ.update(
    {
        "AWS_CONFIG_FILE": os.path.join(_HOME, "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(_HOME, "aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "HF_HOME": os.path.join(_HOME, "hf"),
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
        # modal reads its config file at import time (modal/config.py `user_config_path`).
        "MODAL_CONFIG_PATH": os.path.join(_HOME, "modal.toml"),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
)

# Bounds the wait for the binary's first lines (two RSA keys are generated at start), so a
# broken build fails the suite instead of hanging it.
STARTUP_LIMIT_SECS = 120


@dataclass
class Fake:
    """One running fake-clouds: its base URL, exported variables and test credentials."""

    base_url: str
    env: dict
    creds: dict
    gcp_key: dict

    @property
    def hf_endpoint(self):
        return self.env["HF_ENDPOINT"]

    @property
    def aws_sts_endpoint(self):
        return self.env["AWS_ENDPOINT_URL_STS"]

    @property
    def azure_authority(self):
        return self.env["AZURE_AUTHORITY_HOST"]

    @property
    def gcp_crm_endpoint(self):
        return self.env["CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER"].rstrip("/")


def _binary():
    path = os.environ.get("FAKE_CLOUDS_BIN", "")
    if not path or not os.access(path, os.X_OK):
        pytest.exit(
            "FAKE_CLOUDS_BIN must name the built fake-clouds binary; run the peer tests "
            "with `bash scripts/peers.sh` (it builds the binary and sets it)",
            returncode=2,
        )
    return path


def _read_lines(stream, lines):
    for line in stream:
        lines.put(line)
    lines.put(None)


def _parse(lines):
    """Reads the binary's start-up report up to its last line, the GCP key file's path."""
    base_url, env, creds = None, {}, {}
    while True:
        try:
            line = lines.get(timeout=STARTUP_LIMIT_SECS)
        except queue.Empty:
            raise RuntimeError(
                f"fake-clouds printed nothing for {STARTUP_LIMIT_SECS}s after starting"
            ) from None
        if line is None:
            raise RuntimeError("fake-clouds exited before reporting its endpoints")
        line = line.rstrip("\n")
        if line.startswith("# fake-clouds listening on "):
            base_url = line.split()[4]
        elif line.startswith("export "):
            name, _, value = line[len("export ") :].partition("=")
            env[name] = shlex.split(value)[0]
        elif line.startswith("#   gcp_key_json: written to "):
            return base_url, env, creds
        elif line.startswith("#   "):
            name, _, value = line[len("#   ") :].partition("=")
            creds[name] = value


@pytest.fixture(scope="session")
def fake():
    """The fake clouds on a free loopback port, for the whole session; stopped with
    SIGINT (its Ctrl-C path deletes the GCP key file it wrote)."""
    proc = subprocess.Popen(
        [_binary(), "--port", "0"],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    lines = queue.Queue()
    threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True).start()
    try:
        base_url, env, creds = _parse(lines)
        with open(env["GOOGLE_APPLICATION_CREDENTIALS"], encoding="utf-8") as f:
            gcp_key = json.load(f)
        yield Fake(base_url=base_url, env=env, creds=creds, gcp_key=gcp_key)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
