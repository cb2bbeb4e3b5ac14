"""Does a caller meet a field's or type's ``@authenticated`` / ``@requiresScopes`` / ``@policy`` rules?

Apollo Router semantics (specs.apollo.dev/authenticated, /requiresScopes, /policy v0.1): scope and policy
arguments are an OR of ANDs; a field the caller may not see is removed before planning, answered with
``null`` and one error ``UNAUTHORIZED_FIELD_OR_TYPE`` at its path, and the rest of the operation runs.
Pure: no I/O, so the planner can call it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gateway.supergraph.records import AccessRecord
from kernel.principal import Principal

UNAUTHORIZED_CODE = "UNAUTHORIZED_FIELD_OR_TYPE"

PolicyCheck = Callable[[Principal], bool]


def role_policy(name: str) -> PolicyCheck | None:
    """Built-in policies: ``role:<role>`` holds when the caller has that role."""
    if name.startswith("role:") and len(name) > len("role:"):
        role = name.removeprefix("role:")
        return lambda principal: principal.has_role(role)
    return None


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """The named ``@policy`` checks this gateway knows; an unknown policy name never holds (fail closed)."""

    policies: Mapping[str, PolicyCheck] = field(default_factory=dict)

    def holds(self, name: str, principal: Principal) -> bool:
        check = self.policies.get(name) or role_policy(name)
        return check is not None and check(principal)

    def allows(self, rule: AccessRecord, principal: Principal | None) -> bool:
        """True when ``principal`` (``None`` = anonymous) satisfies every requirement of ``rule``."""
        if not rule.restricts:
            return True
        if principal is None:
            return False
        if rule.scopes and not any(principal.has_scopes(*group) for group in rule.scopes):
            return False
        return not rule.policies or any(all(self.holds(p, principal) for p in group) for group in rule.policies)

    def allows_all(self, rules: Sequence[AccessRecord], principal: Principal | None) -> bool:
        """A field is visible when its own rule and its return type's rule both allow the caller."""
        return all(self.allows(rule, principal) for rule in rules)


def unauthorized_error(path: Sequence[str | int]) -> dict[str, Any]:
    """The GraphQL error for one removed field (its data is ``null``)."""
    return {
        "message": "Unauthorized field or type",
        "path": list(path),
        "extensions": {"code": UNAUTHORIZED_CODE},
    }
