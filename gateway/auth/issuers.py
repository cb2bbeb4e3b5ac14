"""Trusted token issuers and how each one's claims map onto a :class:`Principal` (roles, scopes, org path)."""

from __future__ import annotations

from dataclasses import dataclass, field

ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "Ed25519"}
)
"""Signature algorithms an issuer may use: public-key only, so a JWKS can never hand out a MAC key (RFC 8725 §3.1)."""

KEY_TYPES = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}


def key_type_for(algorithm: str) -> str:
    """The JWK ``kty`` an algorithm needs (RFC 7518 §3.1); blocks key-type confusion."""
    return KEY_TYPES[algorithm[:2]]


@dataclass(frozen=True, slots=True)
class ClaimMapping:
    """Where one issuer keeps roles, scopes, org path and client id; dotted names walk into objects."""

    roles: tuple[str, ...] = ("roles",)
    """Claims holding role lists, merged, e.g. ``realm_access.roles`` for Keycloak."""
    scope: tuple[str, ...] = ("scope",)
    """Claims holding scopes: a space-separated string (RFC 9068 ``scope``) or a list (``scp``)."""
    org_path: str | None = "org_path"
    client_id: tuple[str, ...] = ("client_id", "azp")
    usccs: str | None = "usccs"
    """The market entities an enterprise user acts for (the built-in provider's 市场通 users); None: never."""


@dataclass(frozen=True, slots=True)
class IssuerConfig:
    """One trusted issuer: its exact ``iss``, where its keys are, what ``aud`` and ``typ`` we accept."""

    issuer: str
    jwks_uri: str
    audiences: tuple[str, ...]
    algorithms: tuple[str, ...] = ("RS256",)
    token_types: tuple[str, ...] = ("at+jwt",)
    """Accepted ``typ`` headers, compared without the ``application/`` prefix (RFC 9068 §2.1)."""
    mapping: ClaimMapping = field(default_factory=ClaimMapping)

    def __post_init__(self) -> None:
        unsafe = set(self.algorithms) - ASYMMETRIC_ALGORITHMS
        if unsafe or not self.algorithms:
            raise ValueError(f"issuer {self.issuer}: only public-key algorithms are allowed, not {sorted(unsafe)}")
        if not self.audiences:
            raise ValueError(f"issuer {self.issuer}: at least one accepted audience is required")


def builtin_issuer(issuer: str, audience: str) -> IssuerConfig:
    """The embedded zhijian provider (``identity/``): RS256 ``at+jwt`` with ``roles``, ``scope``, ``org_path``."""
    return IssuerConfig(issuer=issuer, jwks_uri=f"{issuer}/jwks.json", audiences=(audience,))


def keycloak_issuer(
    realm_url: str, audience: str, *, client_roles_of: str | None = None, token_types: tuple[str, ...] = ("at+jwt",)
) -> IssuerConfig:
    """A Keycloak realm: roles in ``realm_access.roles`` (and optionally one client's roles), org path in ``org_path``.

    Keycloak signs access tokens with ``typ: JWT`` unless told otherwise; accepting that is an explicit choice
    (``token_types=("at+jwt", "jwt")``) because it lets an ID token pass as an access token.
    """
    roles = ("realm_access.roles",) + ((f"resource_access.{client_roles_of}.roles",) if client_roles_of else ())
    return IssuerConfig(
        issuer=realm_url,
        jwks_uri=f"{realm_url}/protocol/openid-connect/certs",
        audiences=(audience,),
        token_types=token_types,
        mapping=ClaimMapping(
            roles=roles, scope=("scope", "scp"), org_path="org_path", client_id=("azp", "client_id"), usccs=None
        ),
    )
