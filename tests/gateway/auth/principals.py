"""Callers for the authorization tests: what each may see in the auth scenario."""

from __future__ import annotations

from kernel.principal import Principal

ISSUER = "http://127.0.0.1:4010"


def caller(subject: str, *, roles: tuple[str, ...] = (), scopes: tuple[str, ...] = ()) -> Principal:
    """A signed-in caller with these roles and scopes (city-wide)."""
    return Principal(subject, ISSUER, frozenset(roles), frozenset(scopes), "440300", None, 4_000_000_000)


READER = caller("reader-1", scopes=("pii:read",))
"""Signed in with ``pii:read``: sees phones, not risk scores."""
OTHER_READER = caller("reader-2", scopes=("pii:read", "entities:read"))
"""Another subject with the same rights as far as the scenario's rules go."""
INSPECTOR = caller("inspector-1", roles=("inspector",))
"""Signed in with role ``inspector``: sees risk scores, not phones."""
