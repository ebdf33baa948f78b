"""google-auth against the fake Google OAuth token endpoint (the key's `token_uri`).

What google-auth sends (google/oauth2/service_account.py
`_make_authorization_grant_assertion` and google/oauth2/_client.py `jwt_grant`): a form
POST `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT>` to the
key's `token_uri`, the JWT with `kid` = `private_key_id`, `iss` = `client_email`, `scope`,
`iat`, `exp` = iat + 3600 and `aud` = "https://oauth2.googleapis.com/token" whatever the
`token_uri` is. Google refuses another `aud` with 400 `invalid_grant` "Invalid JWT: Failed
audience check." (hadoop-connectors #822 quotes the body; older answers add " The right
audience is …", requests-oauthlib #247).
"""

import pytest
import requests
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2 import service_account

CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"


@pytest.fixture
def request_():
    session = requests.Session()
    session.trust_env = False
    yield Request(session)
    session.close()


def credentials(fake, **kwargs):
    return service_account.Credentials.from_service_account_info(
        fake.gcp_key, scopes=[CLOUD_PLATFORM], **kwargs
    )


def test_key_token_uri_points_at_the_fake(fake):
    assert fake.gcp_key["token_uri"].startswith(fake.base_url + "/")


def test_refresh_gets_a_token(fake, request_):
    creds = credentials(fake)
    creds.refresh(request_)
    assert creds.token.startswith("ya29.")
    assert creds.expiry is not None
    # The token the fake issued opens its Cloud Resource Manager.
    project = fake.creds["gcp_project_id"]
    response = requests.get(
        f"{fake.gcp_crm_endpoint}/v1/projects/{project}",
        headers={"Authorization": f"Bearer {creds.token}"},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 200
    assert response.json()["projectId"] == project


def test_assertion_with_another_audience_fails_the_audience_check(fake, request_):
    # google-auth merges additional_claims over its payload, so this is its own request
    # with only `aud` changed: here to the token_uri itself, what a client that follows
    # the key file instead of Google's rule would put there.
    creds = credentials(fake, additional_claims={"aud": fake.gcp_key["token_uri"]})
    with pytest.raises(RefreshError) as caught:
        creds.refresh(request_)
    message, body = caught.value.args[0], caught.value.args[1]
    assert body["error"] == "invalid_grant"
    assert body["error_description"].startswith("Invalid JWT: Failed audience check.")
    assert "Failed audience check" in message
