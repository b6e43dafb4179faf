"""Access-token validation: signature and key lookup, iss/aud/exp, scopes and organization claims.

Tokens are signed here with a generated RSA key; the JWKS is served by an in-memory fetch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from auth0_m2m.consumers import AccessTokenError, JwksCache, validate_access_token
from auth0_m2m.outputs import IntegrationOutputs

Claims = Callable[..., dict[str, Any]]
Jwks = Callable[..., JwksCache]
Outputs = Callable[..., IntegrationOutputs]
Key = Any  # conftest.Key


def test_good_token_passes(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs()
    claims = validate_access_token(signing_key.sign(claims_for(outputs)), outputs, jwks_for())
    assert claims["azp"] == outputs.client_id


def test_audience_list_containing_the_audience_passes(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs()
    token = signing_key.sign(claims_for(outputs, aud=[outputs.audience, "https://other/"]))
    validate_access_token(token, outputs, jwks_for())


def test_tampered_signature_fails(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs()
    header, payload, signature = signing_key.sign(claims_for(outputs)).split(".")
    tampered = f"{header}.{payload}.{signature[:-6]}{'A' if signature[-6] != 'A' else 'B'}{signature[-5:]}"
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(tampered, outputs, jwks_for())
    assert str(exc.value) == "signature invalid"


def test_token_signed_by_another_key_with_same_kid_fails(
    make_outputs: Outputs, claims_for: Claims, jwks_for: Jwks, new_key: Any
) -> None:
    outputs = make_outputs()
    impostor = new_key()
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(impostor.sign(claims_for(outputs)), outputs, jwks_for())
    assert str(exc.value) == "signature invalid"


def test_hs256_token_is_refused(make_outputs: Outputs, claims_for: Claims, jwks_for: Jwks) -> None:
    outputs = make_outputs()
    token = jwt.encode(claims_for(outputs), "x" * 32, algorithm="HS256", headers={"kid": "test-key-1"})
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(token, outputs, jwks_for())
    assert str(exc.value) == "algorithm mismatch: expected RS256, got HS256"


def test_wrong_issuer_fails(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs()
    token = signing_key.sign(claims_for(outputs, iss="https://evil.example/"))
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(token, outputs, jwks_for())
    assert (
        str(exc.value) == f"issuer mismatch: expected https://{outputs.hostname}/, got https://evil.example/"
    )


def test_wrong_audience_fails(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs()
    token = signing_key.sign(claims_for(outputs, aud="https://other.example/"))
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(token, outputs, jwks_for())
    assert str(exc.value) == f"audience mismatch: expected {outputs.audience}, got https://other.example/"


def test_expired_token_fails(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs()
    token = signing_key.sign(claims_for(outputs, exp=int(time.time()) - 60))
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(token, outputs, jwks_for())
    assert str(exc.value) == "token expired"


def test_token_without_exp_fails(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs()
    claims = claims_for(outputs)
    del claims["exp"]
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(signing_key.sign(claims), outputs, jwks_for())
    assert str(exc.value) == "exp missing"


def test_scope_mismatch_names_missing_and_unexpected(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs()
    token = signing_key.sign(claims_for(outputs, scope="read:invoices read:users"))
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(token, outputs, jwks_for())
    assert str(exc.value) == "scope mismatch: missing write:invoices, unexpected read:users"


def test_several_claim_problems_are_reported_together(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs()
    token = signing_key.sign(claims_for(outputs, aud="https://x/", scope=""))
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(token, outputs, jwks_for())
    assert exc.value.problems == [
        f"audience mismatch: expected {outputs.audience}, got https://x/",
        "scope mismatch: missing read:invoices write:invoices",
    ]


def test_org_id_missing_fails_when_organization_set(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs(organization="acme", organization_id="org_abc")
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(signing_key.sign(claims_for(outputs)), outputs, jwks_for())
    assert str(exc.value) == "org_id missing"


def test_org_claims_matching_pass(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs(organization="acme", organization_id="org_abc")
    token = signing_key.sign(claims_for(outputs, org_id="org_abc", org_name="acme"))
    assert validate_access_token(token, outputs, jwks_for())["org_id"] == "org_abc"


def test_org_id_mismatch_fails(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs(organization="acme", organization_id="org_abc")
    token = signing_key.sign(claims_for(outputs, org_id="org_other"))
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(token, outputs, jwks_for())
    assert str(exc.value) == "org_id mismatch: expected org_abc, got org_other"


def test_org_name_mismatch_fails(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs(organization="acme", organization_id="org_abc")
    token = signing_key.sign(claims_for(outputs, org_id="org_abc", org_name="globex"))
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(token, outputs, jwks_for())
    assert str(exc.value) == "org_name mismatch: expected acme, got globex"


def test_organization_given_as_id_is_compared_with_org_id(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs(organization="org_abc")
    token = signing_key.sign(claims_for(outputs, org_id="org_zzz"))
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(token, outputs, jwks_for())
    assert str(exc.value) == "org_id mismatch: expected org_abc, got org_zzz"


def test_org_id_without_organization_is_allowed(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs()
    validate_access_token(signing_key.sign(claims_for(outputs, org_id="org_default")), outputs, jwks_for())


def test_unknown_kid_refetches_once_then_fails(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, jwks_for: Jwks
) -> None:
    outputs = make_outputs()
    cache = jwks_for()
    validate_access_token(signing_key.sign(claims_for(outputs)), outputs, cache)
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token(signing_key.sign(claims_for(outputs), kid="gone"), outputs, cache)
    assert str(exc.value) == "signing key 'gone' is not in the tenant's JWKS"
    assert cache.fetches == [outputs.hostname, outputs.hostname]  # type: ignore[attr-defined]


def test_rotated_key_is_found_after_refetch(
    make_outputs: Outputs, signing_key: Key, claims_for: Claims, new_key: Any
) -> None:
    outputs = make_outputs()
    rotated = new_key(kid="test-key-2")
    served = [[signing_key.jwk()], [signing_key.jwk(), rotated.jwk()]]
    cache = JwksCache(lambda hostname: {"keys": served.pop(0)})
    validate_access_token(signing_key.sign(claims_for(outputs)), outputs, cache)
    validate_access_token(rotated.sign(claims_for(outputs)), outputs, cache)
    assert served == []


def test_garbage_is_not_a_jwt(make_outputs: Outputs, jwks_for: Jwks) -> None:
    with pytest.raises(AccessTokenError) as exc:
        validate_access_token("not-a-token", make_outputs(), jwks_for())
    assert str(exc.value).startswith("not a JWT:")
