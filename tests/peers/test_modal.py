"""The official `modal` client against the fake's Modal gRPC API (h2c at MODAL_SERVER_URL).

- `modal token info` (modal/cli/token.py `info`): `_Client.from_env()` then one
  `TokenInfoGet`; prints the token, workspace, user or service user and expiry; an
  UNAUTHENTICATED answer becomes `AuthError`, printed as `Error: <server message>`, exit 1.
- The Python API (`modal.client._Client`): the metadata it sends on every request
  (modal/client.py `_get_metadata`), ClientHello (`Client.verify`), and an old client version
  refused with FAILED_PRECONDITION (`ConflictError`, modal/_grpc_client.py).

Every run gets a private HOME and MODAL_CONFIG_PATH, so the developer's ~/.modal.toml and
MODAL_* variables never reach the client.
"""

import asyncio
import os
import subprocess
import sys

import grpclib.events
import pytest
from modal.client import _Client
from modal.exception import AuthError, ConflictError
from modal_proto import api_pb2
from modal_version import __version__ as MODAL_VERSION

CLI_LIMIT_SECS = 120


@pytest.fixture
def modal_env(fake, tmp_path):
    """The environment a `modal` process runs in: no MODAL_* from outside, server at the fake."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODAL_")}
    env.update(
        {
            "HOME": str(tmp_path),
            "MODAL_CONFIG_PATH": str(tmp_path / "modal.toml"),
            "MODAL_SERVER_URL": fake.env["MODAL_SERVER_URL"],
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    return env


def token_info(env, token_id, token_secret):
    run_env = dict(env, MODAL_TOKEN_ID=token_id, MODAL_TOKEN_SECRET=token_secret)
    return subprocess.run(
        [sys.executable, "-m", "modal", "token", "info"],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=CLI_LIMIT_SECS,
    )


def test_token_info_prints_the_workspace_and_user_of_a_valid_token(fake, modal_env):
    c = fake.creds
    done = token_info(modal_env, c["modal_token_id"], c["modal_token_secret"])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"Token: {c['modal_token_id']}" in out
    assert f"Workspace: {c['modal_workspace_name']} ({c['modal_workspace_id']})" in out
    assert f"User: {c['modal_username']} ({c['modal_user_id']})" in out
    assert "Created at:" in out
    assert "Expires at:" not in out
    assert c["modal_token_secret"] not in out + done.stderr


def test_token_info_prints_the_service_user_and_expiry_of_the_expiring_token(fake, modal_env):
    c = fake.creds
    done = token_info(modal_env, c["modal_expiring_token_id"], c["modal_expiring_token_secret"])
    assert done.returncode == 0, done.stderr
    assert f"Service User: {c['modal_service_user_name']}" in done.stdout
    assert f"Created By: {c['modal_username']}" in done.stdout
    assert "Expires at:" in done.stdout


@pytest.mark.parametrize(
    "kind, message",
    [
        ("wrong secret", "Invalid token ID or token secret"),
        ("unknown id", "Invalid token ID or token secret"),
        ("malformed id", "Token ID is malformed"),
    ],
)
def test_token_info_fails_with_the_auth_error_for_a_bad_token(fake, modal_env, kind, message):
    c = fake.creds
    token_id, secret = {
        "wrong secret": (c["modal_token_id"], c["modal_expiring_token_secret"]),
        "unknown id": ("ak-" + "0" * 22, c["modal_token_secret"]),
        "malformed id": ("not-a-token-id", c["modal_token_secret"]),
    }[kind]
    done = token_info(modal_env, token_id, secret)
    assert done.returncode != 0
    assert message in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def run(coroutine):
    return asyncio.run(coroutine)


async def _token_info_with_capture(server_url, token_id, secret):
    """`TokenInfoGet` through the official client, recording the metadata it sent."""
    sent = []
    client = await _Client.from_credentials(token_id, secret)
    try:
        channel = await client._get_channel(server_url)

        async def record(event):
            sent.append(dict(event.metadata))

        grpclib.events.listen(channel, grpclib.events.SendRequest, record)
        response = await client._stub.TokenInfoGet(api_pb2.TokenInfoGetRequest())
        return response, sent
    finally:
        await client.close()


def test_the_client_sends_its_version_type_and_token_as_metadata(fake, modal_env, monkeypatch):
    for name, value in modal_env.items():
        monkeypatch.setenv(name, value)
    c = fake.creds
    response, sent = run(
        _token_info_with_capture(
            fake.env["MODAL_SERVER_URL"], c["modal_token_id"], c["modal_token_secret"]
        )
    )
    assert response.workspace_name == c["modal_workspace_name"]
    assert len(sent) == 1
    metadata = sent[0]
    # What the fake and cloudcreds' check must accept and send (modal 1.6.4: "1.6.4", "1").
    assert metadata["x-modal-client-version"] == MODAL_VERSION
    assert metadata["x-modal-client-type"] == str(api_pb2.CLIENT_TYPE_CLIENT) == "1"
    assert metadata["x-modal-token-id"] == c["modal_token_id"]
    assert metadata["x-modal-token-secret"] == c["modal_token_secret"]
    print(
        "modal",
        MODAL_VERSION,
        "sent",
        sorted(metadata),
        "x-modal-client-version =",
        metadata["x-modal-client-version"],
        "x-modal-client-type =",
        metadata["x-modal-client-type"],
    )


def test_verify_calls_client_hello_and_refuses_a_wrong_secret(fake, modal_env, monkeypatch):
    for name, value in modal_env.items():
        monkeypatch.setenv(name, value)
    c, url = fake.creds, fake.env["MODAL_SERVER_URL"]
    run(_Client.verify(url, (c["modal_token_id"], c["modal_token_secret"])))
    with pytest.raises(AuthError, match="Invalid token ID or token secret"):
        run(_Client.verify(url, (c["modal_token_id"], c["modal_expiring_token_secret"])))


async def _token_info_as_version(server_url, credentials, version):
    client = _Client(server_url, api_pb2.CLIENT_TYPE_CLIENT, credentials, version=version)
    async with client:
        return await client._stub.TokenInfoGet(api_pb2.TokenInfoGetRequest())


def test_an_old_client_version_is_refused_with_failed_precondition(fake, modal_env, monkeypatch):
    for name, value in modal_env.items():
        monkeypatch.setenv(name, value)
    c, url = fake.creds, fake.env["MODAL_SERVER_URL"]
    credentials = (c["modal_token_id"], c["modal_token_secret"])
    with pytest.raises(ConflictError, match="The client version 0.49.0 is too old"):
        run(_token_info_as_version(url, credentials, "0.49.0"))
    assert run(_token_info_as_version(url, credentials, MODAL_VERSION)).token_id == c[
        "modal_token_id"
    ]
