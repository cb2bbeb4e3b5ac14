"""The authenticated caller as the gateway and subgraphs see it, whatever issuer vouched for it."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.orgtree import path_contains


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: an officer (``sub`` = officer id), an enterprise user (``sub`` = user id, scoped by
    ``usccs``) or a machine client (``sub`` = client id)."""

    subject: str
    issuer: str
    roles: frozenset[str]
    scopes: frozenset[str]
    org_path: str | None
    """Jurisdiction code path, ``440300/440304/440304001``; ``None`` for callers without one."""
    client_id: str | None
    expires_at: int
    usccs: frozenset[str] = frozenset()
    """The market entities an enterprise user (市场通) acts for, by USCC; empty for officers and machines."""

    def has_scopes(self, *scopes: str) -> bool:
        return set(scopes) <= self.scopes

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def covers(self, org_path: str) -> bool:
        """True when ``org_path`` lies within the caller's jurisdiction, compared segment by segment."""
        return self.org_path is not None and path_contains(self.org_path, org_path)
