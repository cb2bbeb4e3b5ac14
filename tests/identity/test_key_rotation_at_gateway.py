"""Key rotation under a gateway that just fetched keys: the provider publishes a new key before it signs with it,
so a gateway that may not refetch on an unknown ``kid`` (its rate limit) never refuses a fresh token."""

from __future__ import annotations

import time
from dataclasses import replace

import httpx
import pytest

from gateway.auth import InvalidToken, TokenValidator, builtin_issuer
from identity.app import create_app
from identity.seed import DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET
from identity.settings import IdentitySettings
from kernel.db import Database
from tests.identity.conftest import ISSUER

AUDIENCE = "http://127.0.0.1:4000/graphql"


async def test_a_gateway_that_just_fetched_keys_accepts_every_token_across_a_rotation(
    database: Database, identity_settings: IdentitySettings
) -> None:
    now = [time.time()]
    app = create_app(database, identity_settings, clock=lambda: now[0])
    keys = app.state.identity.provider.keys
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER) as http:

        async def fresh_token() -> str:
            answer = await http.post(
                "/token", data={"grant_type": "client_credentials"}, auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET)
            )
            return str(answer.json()["access_token"])

        # The gateway caches keys for 300 s and may not refetch on an unknown kid for an hour: a key it has not
        # seen would be refused.
        gateway = TokenValidator(
            [builtin_issuer(ISSUER, AUDIENCE)], http, min_refetch_interval=3600, jwks_max_age=300,
            clock=lambda: now[0], jwks_clock=lambda: now[0],
        )  # fmt: skip
        await gateway.validate(await fresh_token())  # the gateway has just fetched the keys
        old_kid = keys.active.kid
        rotated_at = now[0]
        new_kid = keys.rotate().kid  # just after the gateway's fetch, a rotation
        for later in (1, 299, 301, 599, 601, 900):  # seconds after the rotation
            now[0] = rotated_at + later
            await gateway.validate(await fresh_token())  # never refused
        assert keys.active.kid == new_kid != old_kid
        assert gateway.jwks(ISSUER).fetches <= 1 + 3  # refetched only when its cache aged, never for a kid


async def test_without_publishing_ahead_the_same_gateway_would_refuse(
    database: Database, identity_settings: IdentitySettings
) -> None:
    """The control: a key that signs at once is unknown to the gateway that just fetched keys."""
    now = [time.time()]
    app = create_app(database, replace(identity_settings, key_publish_ahead=0), clock=lambda: now[0])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER) as http:
        answer = await http.post(
            "/token", data={"grant_type": "client_credentials"}, auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET)
        )
        gateway = TokenValidator(
            [builtin_issuer(ISSUER, AUDIENCE)], http, min_refetch_interval=3600, clock=lambda: now[0],
            jwks_clock=lambda: now[0],
        )  # fmt: skip
        await gateway.validate(answer.json()["access_token"])
        app.state.identity.provider.keys.rotate()
        now[0] += 1
        answer = await http.post(
            "/token", data={"grant_type": "client_credentials"}, auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET)
        )
        with pytest.raises(InvalidToken, match="unknown signing key"):
            await gateway.validate(answer.json()["access_token"])
