"""boto3 against the fake STS: what botocore signs must be accepted, and what real STS
refuses must be refused with its code and text.

How botocore signs here (botocore/regions.py EndpointRulesetResolver with the `sts`
endpoint-rule-set-1.json): with `endpoint_url` set, the ruleset returns that URL with no
auth-scheme override, so the SigV4 credential scope region is the client's `region_name`,
never one derived from the endpoint's host. A client configured for another region than
its endpoint's therefore signs for the wrong region, which real STS refuses.
"""

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

# What the fake's STS endpoint stands for: it prints this as AWS_REGION.
ENDPOINT_REGION = "us-east-1"
OTHER_REGION = "eu-west-1"


def sts(fake, key_id, secret, token=None, region=ENDPOINT_REGION):
    return boto3.client(
        "sts",
        endpoint_url=fake.aws_sts_endpoint,
        region_name=region,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=10),
    )


def refusal(call):
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response


def test_fake_endpoint_region_is_the_one_it_exports(fake):
    assert fake.env["AWS_REGION"] == ENDPOINT_REGION


def test_long_term_key_is_accepted(fake):
    c = fake.creds
    identity = sts(fake, c["aws_access_key_id"], c["aws_secret_access_key"]).get_caller_identity()
    assert identity["Account"] == c["aws_account_id"]
    assert identity["Arn"] == c["aws_user_arn"]
    assert identity["UserId"] == c["aws_user_id"]


def test_temporary_key_with_session_token_is_accepted(fake):
    c = fake.creds
    client = sts(
        fake, c["aws_temp_access_key_id"], c["aws_temp_secret_access_key"], c["aws_session_token"]
    )
    identity = client.get_caller_identity()
    assert identity["Arn"] == c["aws_assumed_role_arn"]
    assert identity["UserId"] == c["aws_role_user_id"]


def test_wrong_secret_gets_signature_does_not_match(fake):
    c = fake.creds
    wrong = c["aws_secret_access_key"][:-4] + "AAAA"
    if wrong == c["aws_secret_access_key"]:
        wrong = c["aws_secret_access_key"][:-4] + "BBBB"
    response = refusal(sts(fake, c["aws_access_key_id"], wrong).get_caller_identity)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert response["Error"]["Message"].startswith(
        "The request signature we calculated does not match the signature you provided."
    )


def test_unknown_key_id_gets_invalid_client_token_id(fake):
    c = fake.creds
    response = refusal(
        sts(fake, "AKIA" + "Q" * 16, c["aws_secret_access_key"]).get_caller_identity
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["Error"]["Code"] == "InvalidClientTokenId"


def test_signing_region_other_than_the_endpoints_is_refused_like_sts(fake):
    """Real STS answers a scope for another region than the endpoint's with 403
    `SignatureDoesNotMatch` "Credential should be scoped to a valid region, not
    'us-east-2'. " (AWS CLI with --endpoint-url sts.us-east-1 and --region us-east-2, as
    cloud-custodian #4874 records it); newer answers drop the ", not '…'" tail
    (terraform-provider-aws #34865)."""
    c = fake.creds
    client = sts(fake, c["aws_access_key_id"], c["aws_secret_access_key"], region=OTHER_REGION)
    response = refusal(client.get_caller_identity)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert response["Error"]["Message"].startswith("Credential should be scoped to a valid region")
