"""The access-token check on its own: caching, expiry on every use, the pool's keys away."""

from __future__ import annotations

import time

import pytest

from skill.smarthome.auth import (
    AccessTokenVerifier,
    ConfigError,
    KeysUnavailable,
    TokenError,
    TokenExpired,
)
from tests.smarthome.conftest import ALICE, HOME_A, request
from tests.smarthome.fakes import CLIENT_ID


class Wall:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_a_checked_token_is_remembered_but_still_expires(cognito):
    wall = Wall()
    verifier = AccessTokenVerifier(cognito.issuer, CLIENT_ID, wall=wall)
    token = cognito.token(ALICE, exp=int(wall.now) + 60)
    assert verifier.verify(token).sub == ALICE
    assert verifier.verify(token).sub == ALICE
    assert cognito.jwks_requests == 1
    wall.now += 120
    with pytest.raises(TokenExpired):
        verifier.verify(token)


def test_a_changed_byte_is_a_different_token_checked_afresh(cognito):
    verifier = AccessTokenVerifier(cognito.issuer, CLIENT_ID)
    token = cognito.token(ALICE)
    verifier.verify(token)
    head, body, sig = token.split(".")
    forged_body = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(TokenError):
        verifier.verify(f"{head}.{forged_body}.{sig}")


def test_the_pools_keys_away_is_our_fault_not_a_bad_login(
    make_smart_home, homes, cognito, refused, valid
):
    smart_home = make_smart_home(homes)
    smart_home.verifier = AccessTokenVerifier(f"http://127.0.0.1:{refused}/pool", CLIENT_ID)
    answer = valid(
        smart_home.handle(
            request(
                "PowerController/PowerController.TurnOn.request.json", cognito.token(ALICE), "lamp"
            )
        )
    )
    # INTERNAL_ERROR, not INVALID_AUTHORIZATION_CREDENTIAL: Alexa mustn't ask to relink.
    assert answer["event"]["payload"]["type"] == "INTERNAL_ERROR"
    assert homes[HOME_A].read("lamp").on is False
    with pytest.raises(KeysUnavailable):
        smart_home.verifier.verify(cognito.token(ALICE))


@pytest.mark.parametrize(
    "issuer",
    ["http://cognito-idp.eu-west-1.amazonaws.com/pool", "ftp://127.0.0.1/pool", "pool", ""],
)
def test_an_issuer_must_be_https_except_on_127_0_0_1(issuer):
    with pytest.raises(ConfigError):
        AccessTokenVerifier(issuer, CLIENT_ID)
