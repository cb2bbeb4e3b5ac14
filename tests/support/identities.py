"""Gateway-signed identities for subgraph tests: a test gateway key, officers at each level, machine clients."""

from __future__ import annotations

import time

from kernel.forwarding import FORWARDED_IDENTITY_HEADER, IdentitySigner, IdentityVerifier, generate_private_pem
from kernel.principal import Principal
from kernel.roles import Role

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


OFFICER_APP_SCOPES = (
    "openid",
    "entities:write",
    "permits:write",
    "supervision:write",
    "enforcement:write",
    "detection:write",
)
"""What the officer app (政务通) is delegated: sign-in, and changes in each component (roles decide which)."""
EVERY_ROLE = tuple(sorted(Role))
"""A caller the role table never refuses, for tests that are about something else (``test_roles`` walks roles)."""


def officer(
    org_path: str, *scopes: str, subject: str = "officer-1", roles: tuple[str, ...] = ("inspector",)
) -> Principal:
    """An officer signed in through the officer app, scoped by ``org_path``."""
    return Principal(
        subject=subject,
        issuer="http://127.0.0.1:4010",
        roles=frozenset(roles),
        scopes=frozenset((*OFFICER_APP_SCOPES, *scopes)),
        org_path=org_path,
        client_id="zhengwutong",
        expires_at=int(time.time()) + 300,
    )


def enterprise_user(
    *usccs: str, subject: str = "enterprise-user-1", roles: tuple[str, ...] = ("enterprise_owner",)
) -> Principal:
    """An enterprise user (市场通) acting for ``usccs``."""
    return Principal(
        subject=subject,
        issuer="http://127.0.0.1:4010",
        roles=frozenset(roles),
        scopes=frozenset(
            (
                "openid",
                "entities:read",
                "permits:read",
                "permits:write",
                "supervision:read",
                "detection:read",
                "detection:write",
            )
        ),
        org_path=None,
        client_id="shichangtong",
        expires_at=int(time.time()) + 300,
        usccs=frozenset(usccs),
    )


def machine(
    client_id: str, *scopes: str, org_path: str | None = None, roles: tuple[str, ...] = EVERY_ROLE
) -> Principal:
    """A client-credentials caller (a legacy adapter), with its client record's org path and roles (by default
    every role: these tests are about scopes and jurisdiction)."""
    return Principal(
        subject=client_id,
        issuer="http://127.0.0.1:4010",
        roles=frozenset(roles),
        scopes=frozenset(scopes),
        org_path=org_path,
        client_id=client_id,
        expires_at=int(time.time()) + 300,
    )


def signed(principal: Principal, *, signer: IdentitySigner = TEST_SIGNER, now: float | None = None) -> dict[str, str]:
    """Request headers carrying ``principal`` as the gateway (``signer``) signs it."""
    return {FORWARDED_IDENTITY_HEADER: signer.sign(principal, now=now)}


CITY_OFFICER = officer(CITY, subject="city-officer", roles=EVERY_ROLE)
"""Sees everything and may take every action (personal data only for a stated purpose)."""
