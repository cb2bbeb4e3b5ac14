"""Gateway-signed identities for subgraph tests: a test gateway key, officers at each level, machine clients."""

from __future__ import annotations

import time

from kernel.forwarding import FORWARDED_IDENTITY_HEADER, IdentitySigner, IdentityVerifier, generate_private_pem
from kernel.principal import Principal

TEST_SIGNER = IdentitySigner.from_private_pem(generate_private_pem())
"""The test 'gateway': signs forwarded identities with its own Ed25519 key; subgraphs under test hold its public
half."""

CITY = "440300"
FUTIAN = "440300/440304"
NANSHAN = "440300/440305"
HUAQIANGBEI = "440300/440304/440304009"
"""福田 华强北 station, where the tests' default application has its premises."""
YUANLING = "440300/440304/440304002"


def verifier() -> IdentityVerifier:
    """What a subgraph under test verifies with: the test gateway's public key."""
    return TEST_SIGNER.verifier()


def officer(
    org_path: str, *scopes: str, subject: str = "officer-1", roles: tuple[str, ...] = ("inspector",)
) -> Principal:
    """An officer signed in through the officer app, scoped by ``org_path``."""
    return Principal(
        subject=subject,
        issuer="http://127.0.0.1:4010",
        roles=frozenset(roles),
        scopes=frozenset(("openid", *scopes)),
        org_path=org_path,
        client_id="zhengwutong",
        expires_at=int(time.time()) + 300,
    )


def machine(client_id: str, *scopes: str, org_path: str | None = None) -> Principal:
    """A client-credentials caller (a legacy adapter), with its client record's org path if any."""
    return Principal(
        subject=client_id,
        issuer="http://127.0.0.1:4010",
        roles=frozenset(),
        scopes=frozenset(scopes),
        org_path=org_path,
        client_id=client_id,
        expires_at=int(time.time()) + 300,
    )


def signed(principal: Principal, *, signer: IdentitySigner = TEST_SIGNER, now: float | None = None) -> dict[str, str]:
    """Request headers carrying ``principal`` as the gateway (``signer``) signs it."""
    return {FORWARDED_IDENTITY_HEADER: signer.sign(principal, now=now)}


CITY_OFFICER = officer(CITY, subject="city-officer")
"""Sees everything (no personal data without ``pii:read``)."""
