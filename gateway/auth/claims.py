"""Pure checks of a JWS-signed access token: header, signature, registered claims, claim mapping.

RFC 8725 (JWT best practices): explicit algorithm allow-list, key type bound to the algorithm, ``typ``
checked; RFC 9068 §4 (validating ``at+jwt``): ``iss`` exact, ``aud`` ours, ``exp``/``nbf`` with leeway.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError

from gateway.auth.errors import InvalidToken
from gateway.auth.issuers import ClaimMapping, IssuerConfig, key_type_for
from gateway.auth.jwks import PublicKey
from kernel import jose
from kernel.orgtree import parse_org_path
from kernel.principal import Principal
from kernel.revocation import TokenIds


def unverified_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and payload *before* any check, to choose the issuer and key; never trust them alone."""
    try:
        return jose.unverified_parts(token)
    except jose.MalformedToken as error:
        raise InvalidToken(error.reason) from None


def check_header(header: dict[str, Any], config: IssuerConfig) -> tuple[str, str]:
    """``(alg, kid)`` when the header is acceptable for this issuer."""
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in config.algorithms:
        raise InvalidToken(f"algorithm {alg!r} not allowed")
    if "crit" in header or "jku" in header or "x5u" in header or "jwk" in header:
        raise InvalidToken("unsupported header parameter")
    if jose.normalized_type(header.get("typ")) not in {jose.normalized_type(t) for t in config.token_types}:
        raise InvalidToken(f"typ {header.get('typ')!r} is not an access token type")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("no kid")
    return alg, kid


def verify_signature(token: str, key: PublicKey, alg: str) -> dict[str, Any]:
    """The verified payload; the key's type must be the one the algorithm needs."""
    if key.key_type != key_type_for(alg):
        raise InvalidToken("key type does not match algorithm")
    try:
        signed = jws.deserialize_compact(token, key, algorithms=[alg])
    except (JoseError, ValueError):
        raise InvalidToken("bad signature") from None
    try:
        payload = json.loads(signed.payload)
    except ValueError:
        raise InvalidToken("malformed") from None
    if not isinstance(payload, dict):
        raise InvalidToken("malformed")
    return payload


def _number(claims: dict[str, Any], name: str, required: bool) -> float | None:
    value = claims.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidToken(f"{name} missing or not a number")
    return float(value)


def check_claims(claims: dict[str, Any], config: IssuerConfig, now: float, leeway: float) -> None:
    """``iss`` exact, ``aud`` one of ours, ``exp`` required, ``nbf`` and ``iat`` not in the future."""
    if claims.get("iss") != config.issuer:
        raise InvalidToken("wrong issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if not set(config.audiences) & {a for a in audiences if isinstance(a, str)}:
        raise InvalidToken("wrong audience")
    exp = _number(claims, "exp", required=True)
    assert exp is not None
    if now > exp + leeway:
        raise InvalidToken("expired")
    nbf = _number(claims, "nbf", required=False)
    if nbf is not None and now < nbf - leeway:
        raise InvalidToken("not yet valid")
    iat = _number(claims, "iat", required=False)
    if iat is not None and now < iat - leeway:
        raise InvalidToken("issued in the future")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise InvalidToken("no subject")


def _walk(claims: dict[str, Any], dotted: str) -> Any:
    value: Any = claims
    for name in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return (v for v in value if isinstance(v, str))
    return ()


def check_org_path(value: Any) -> str | None:
    """The token's org path (:func:`kernel.orgtree.parse_org_path`); ``invalid token`` when malformed."""
    try:
        return parse_org_path(value)
    except ValueError:
        raise InvalidToken("malformed org_path") from None


def to_principal(claims: dict[str, Any], mapping: ClaimMapping, issuer: str) -> Principal:
    """Map verified claims onto a :class:`Principal` with this issuer's claim names."""
    roles = frozenset(r for name in mapping.roles for r in _strings(_walk(claims, name)))
    scopes = frozenset(s for name in mapping.scope for s in _strings(_walk(claims, name)))
    client_id = next((c for name in mapping.client_id if isinstance(c := _walk(claims, name), str)), None)
    org_path = check_org_path(_walk(claims, mapping.org_path)) if mapping.org_path else None
    usccs = _usccs(_walk(claims, mapping.usccs)) if mapping.usccs else frozenset()
    return Principal(
        subject=claims["sub"],
        issuer=issuer,
        roles=roles,
        scopes=scopes,
        org_path=org_path,
        client_id=client_id,
        expires_at=int(claims["exp"]),
        usccs=usccs,
    )


def _usccs(value: Any) -> frozenset[str]:
    """An enterprise user's entities: a list of 18-character codes, or nothing."""
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) == 18 and v.isalnum() for v in value):
        raise InvalidToken("malformed usccs")
    return frozenset(value)


def token_ids(claims: dict[str, Any]) -> TokenIds:
    """What the revocation check needs of verified claims: subject, ``jti``, ``sid`` and ``iat``."""
    jti, sid, iat = claims.get("jti"), claims.get("sid"), claims.get("iat")
    return TokenIds(
        subject=str(claims["sub"]),
        jti=jti if isinstance(jti, str) else None,
        sid=sid if isinstance(sid, str) else None,
        issued_at=float(iat) if isinstance(iat, int | float) and not isinstance(iat, bool) else 0.0,
    )
