"""Issuers from settings, the edge's cache of validated tokens (never past a token's expiry), keys fetched lazily."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from gateway.auth import InvalidToken, TokenValidator, builtin_issuer
from gateway.http.app import create_app
from gateway.http.auth import EdgeAuth, issuers_from_settings, signer_from_settings
from gateway.settings import GatewaySettings
from kernel.forwarding import IdentitySigner, generate_private_pem
from kernel.principal import Principal
from tests.gateway.auth.issuer import AUDIENCE, Issuer
from tests.gateway.auth.scenario import auth_federation
from tests.gateway.servers import free_port, serving


def test_settings_name_the_builtin_and_a_keycloak_issuer(tmp_path: Path) -> None:
    key_file = tmp_path / "forwarding.pem"
    key_file.write_text(generate_private_pem(), encoding="ascii")
    settings = GatewaySettings.from_env(
        {
            "ZHIJIAN_GATEWAY_ISSUER": "http://127.0.0.1:4010",
            "ZHIJIAN_GATEWAY_PORT": "4100",
            "ZHIJIAN_GATEWAY_EXTERNAL_ISSUER": "https://sso.samr.example/realms/samr",
            "ZHIJIAN_GATEWAY_EXTERNAL_JWKS_URL": "http://10.0.0.5:8080/realms/samr/protocol/openid-connect/certs",
            "ZHIJIAN_GATEWAY_EXTERNAL_CLIENT_ROLES": "zhijian",
            "ZHIJIAN_GATEWAY_EXTERNAL_TOKEN_TYPES": "at+jwt,JWT",
            "ZHIJIAN_FORWARDING_KEY_FILE": str(key_file),
        }
    )
    builtin, keycloak = issuers_from_settings(settings)
    assert (builtin.issuer, builtin.jwks_uri, builtin.audiences) == (
        "http://127.0.0.1:4010",
        "http://127.0.0.1:4010/jwks.json",
        ("http://127.0.0.1:4100/graphql",),
    )
    assert keycloak.jwks_uri == "http://10.0.0.5:8080/realms/samr/protocol/openid-connect/certs"
    assert keycloak.token_types == ("at+jwt", "jwt")
    assert keycloak.mapping.roles == ("realm_access.roles", "resource_access.zhijian.roles")
    signer = signer_from_settings(settings)
    assert signer is not None
    caller = Principal("officer-1", "http://127.0.0.1:4010", frozenset(), frozenset(), None, None, 2_000_000_000)
    verifier = IdentitySigner.from_private_pem(key_file.read_text(encoding="ascii")).verifier()
    assert verifier.verify(signer.sign(caller)) == caller


def test_without_an_issuer_auth_is_off() -> None:
    settings = GatewaySettings.from_env({})
    assert not settings.auth_enabled and issuers_from_settings(settings) == ()
    assert settings.forward_headers == ()


async def test_a_cached_token_is_validated_again_once_it_expires() -> None:
    issuer = Issuer()
    now = [time.time()]
    async with serving(issuer.app) as url, httpx.AsyncClient() as http:
        issuer.url = url
        validator = TokenValidator([builtin_issuer(url, AUDIENCE)], http, clock=lambda: now[0])
        edge = EdgeAuth(validator, clock=lambda: now[0])
        header = f"Bearer {issuer.token(exp=int(now[0]) + 90)}".encode()
        first = await edge.principal(header)
        assert first is not None and await edge.principal(header) is first
        now[0] += 45
        assert await edge.principal(header) is first
        now[0] += 100  # past exp + the validator's 30 s leeway
        with pytest.raises(InvalidToken, match="expired"):
            await edge.principal(header)
        assert await edge.principal(None) is None


async def test_unreachable_keys_do_not_block_startup_and_answer_503() -> None:
    federation = auth_federation()
    dead = f"http://127.0.0.1:{free_port()}"
    settings = GatewaySettings(issuer=dead, audience=AUDIENCE)
    app = create_app(federation.supergraph_sdl, settings, federation.transports())
    issuer = Issuer()
    issuer.url = dead
    async with serving(app, lifespan="on") as url, httpx.AsyncClient(timeout=15) as http:
        assert (await http.get(f"{url}/health")).status_code == 200
        anonymous = await http.post(f"{url}/graphql", json={"query": "{ notices { text } }"})
        assert anonymous.json() == {"data": {"notices": [{"text": "整改通知"}, {"text": "公告"}]}}
        refused = await http.post(
            f"{url}/graphql",
            json={"query": "{ notices { text } }"},
            headers={"authorization": f"Bearer {issuer.token()}"},
        )
        assert refused.status_code == 503 and refused.headers["retry-after"] == "30"
        assert refused.json()["errors"][0]["extensions"]["code"] == "AUTH_KEYS_UNAVAILABLE"
