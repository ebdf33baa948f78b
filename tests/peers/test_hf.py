"""huggingface_hub against the fake Hub: `whoami()` (GET /api/whoami-v2) and
`list_models(limit=1)` (GET /api/models?limit=1) with a valid and a bad token.

The Hub answers a bad token on its API with 401 and the body
`{"error":"Invalid credentials in Authorization header"}` (huggingface_hub #3368 quotes it
from `curl .../api/whoami-v2`); huggingface_hub raises `HfHubHTTPError` carrying that
response (hf_api.py `_inner_whoami`, utils/_http.py `hf_raise_for_status`).
"""

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

HUB_401_BODY = {"error": "Invalid credentials in Authorization header"}


def api(fake, token):
    return HfApi(endpoint=fake.hf_endpoint, token=token)


def bad_tokens(fake):
    return {
        "revoked": fake.creds["hf_token_revoked"],
        "unknown": "hf_" + "x" * 34,
    }


def test_whoami_accepts_a_valid_token(fake):
    me = api(fake, fake.creds["hf_token"]).whoami()
    assert me["type"] == "user"
    assert me["name"]
    assert me["auth"]["type"] == "access_token"
    assert me["auth"]["accessToken"]["role"] in ("read", "write", "fineGrained")


def test_list_models_accepts_a_valid_token(fake):
    models = list(api(fake, fake.creds["hf_token"]).list_models(limit=1))
    assert len(models) == 1
    assert models[0].id


@pytest.mark.parametrize("kind", ["revoked", "unknown"])
def test_whoami_refuses_a_bad_token_with_the_hubs_401(fake, kind):
    with pytest.raises(HfHubHTTPError) as caught:
        api(fake, bad_tokens(fake)[kind]).whoami()
    response = caught.value.response
    assert response.status_code == 401
    assert response.json() == HUB_401_BODY


@pytest.mark.parametrize("kind", ["revoked", "unknown"])
def test_list_models_refuses_a_bad_token_with_the_hubs_401(fake, kind):
    with pytest.raises(HfHubHTTPError) as caught:
        list(api(fake, bad_tokens(fake)[kind]).list_models(limit=1))
    response = caught.value.response
    assert response.status_code == 401
    assert response.json() == HUB_401_BODY
