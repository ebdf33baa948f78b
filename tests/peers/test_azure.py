"""msal's client-credentials request against the fake Entra ID token endpoint.

msal cannot be pointed at a plain-http loopback authority: msal/authority.py `canonicalize`
accepts only `if authority.scheme == "https" and authority.hostname:` and otherwise raises
"Your given address (...) should consist of an https url ...", and it canonicalizes the
`token_endpoint` of the OIDC discovery document the same way. (azure-identity is stricter
still: azure/identity/_internal/utils.py `normalize_authority` raises "... The value must be
a TLS protected (https) URL.") So msal runs here with its real authority,
https://login.microsoftonline.com/{tenant}, and an `http_client` (msal's documented hook,
msal/application.py `ClientApplication(http_client=...)`) that moves its requests to the
fake: the token request the fake judges is byte for byte the one msal builds
(msal/oauth2cli/oauth2.py `_obtain_token`). Only the OIDC discovery document, which the
fake does not serve and our check does not fetch, is answered here with the fields msal
reads from Microsoft's (`authorization_endpoint`, `token_endpoint`, `issuer`).
"""

import json
from urllib.parse import parse_qs

import msal
import pytest
import requests

PUBLIC_HOST = "https://login.microsoftonline.com"
ARM_DEFAULT_SCOPE = "https://management.azure.com/.default"


class AuthorityOnLoopback:
    """msal's HttpClient: requests for login.microsoftonline.com go to the fake."""

    def __init__(self, fake_authority):
        self.fake_authority = fake_authority.rstrip("/")
        self.session = requests.Session()
        self.session.trust_env = False
        self.token_requests = []

    def _on_fake(self, url):
        assert url.startswith(PUBLIC_HOST + "/"), f"msal called {url}"
        return self.fake_authority + url[len(PUBLIC_HOST) :]

    def get(self, url, params=None, headers=None, **kwargs):
        if url.endswith("/v2.0/.well-known/openid-configuration"):
            return discovery_document(url[len(PUBLIC_HOST) + 1 :].split("/")[0])
        return self.session.get(
            self._on_fake(url), params=params, headers=headers, timeout=10, allow_redirects=False
        )

    def post(self, url, params=None, data=None, headers=None, **kwargs):
        response = self.session.post(
            self._on_fake(url),
            params=params,
            data=data,
            headers=headers,
            timeout=10,
            allow_redirects=False,
        )
        self.token_requests.append(response.request)
        return response

    def close(self):
        self.session.close()


def discovery_document(tenant):
    base = f"{PUBLIC_HOST}/{tenant}"
    response = requests.Response()
    response.status_code = 200
    response.headers["Content-Type"] = "application/json"
    response._content = json.dumps(
        {
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "issuer": f"{base}/v2.0",
        }
    ).encode()
    return response


@pytest.fixture
def http(fake):
    client = AuthorityOnLoopback(fake.azure_authority)
    yield client
    client.close()


def app(fake, http, secret, tenant=None):
    c = fake.creds
    return msal.ConfidentialClientApplication(
        c["azure_client_id"],
        client_credential=secret,
        authority=f"{PUBLIC_HOST}/{tenant or c['azure_tenant_id']}",
        http_client=http,
        instance_discovery=False,
        token_cache=msal.TokenCache(),
    )


def test_client_secret_gets_a_token(fake, http):
    result = app(fake, http, fake.creds["azure_client_secret"]).acquire_token_for_client(
        scopes=[ARM_DEFAULT_SCOPE]
    )
    assert "error" not in result, result.get("error_description")
    assert result["token_type"] == "Bearer"
    assert result["access_token"]
    assert result["expires_in"] > 0


def test_token_request_has_the_shape_msal_sends(fake, http):
    """Pins what msal puts on the wire, so the fake and our check can be compared to it."""
    c = fake.creds
    app(fake, http, c["azure_client_secret"]).acquire_token_for_client(scopes=[ARM_DEFAULT_SCOPE])
    [sent] = http.token_requests
    assert sent.method == "POST"
    assert sent.url == f"{fake.azure_authority}/{c['azure_tenant_id']}/oauth2/v2.0/token"
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert sent.headers["Accept"] == "application/json"
    assert "Authorization" not in sent.headers
    body = {k: v[0] for k, v in parse_qs(sent.body).items()}
    assert body["grant_type"] == "client_credentials"
    assert body["client_id"] == c["azure_client_id"]
    assert body["scope"] == ARM_DEFAULT_SCOPE
    assert body["client_info"] == "1"
    assert "client_secret" in body


def test_secret_id_instead_of_value_gets_aadsts7000215(fake, http):
    result = app(fake, http, fake.creds["azure_client_secret_id"]).acquire_token_for_client(
        scopes=[ARM_DEFAULT_SCOPE]
    )
    assert result["error"] == "invalid_client"
    assert result["error_codes"] == [7000215]
    assert result["error_description"].startswith("AADSTS7000215: Invalid client secret provided.")


def test_unknown_tenant_gets_aadsts90002(fake, http):
    tenant = "00000000-0000-4000-8000-000000000000"
    result = app(fake, http, fake.creds["azure_client_secret"], tenant=tenant).acquire_token_for_client(
        scopes=[ARM_DEFAULT_SCOPE]
    )
    assert result["error"] == "invalid_request"
    assert result["error_codes"] == [90002]
