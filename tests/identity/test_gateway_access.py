"""Auth directives evaluated for a caller: OR of ANDs, anonymous callers, unknown policies fail closed."""

from __future__ import annotations

import pytest

from gateway.auth import UNAUTHORIZED_CODE, AccessPolicy, unauthorized_error
from gateway.supergraph.records import NO_ACCESS_RULES, AccessRecord
from kernel.principal import Principal

INSPECTOR = Principal(
    subject="o1", issuer="i", roles=frozenset({"inspector"}), scopes=frozenset({"entities:read", "permits:read"}),
    org_path="440300/440304", client_id="app", expires_at=0,
)  # fmt: skip
CITY_ADMIN = Principal("o2", "i", frozenset({"admin"}), frozenset({"entities:write"}), "440300", "app", 0)
POLICY = AccessPolicy({"city_level": lambda p: p.org_path is not None and "/" not in p.org_path})


@pytest.mark.parametrize(
    ("rule", "anonymous", "inspector", "admin"),
    [
        (NO_ACCESS_RULES, True, True, True),
        (AccessRecord(authenticated=True), False, True, True),
        (AccessRecord(scopes=(("entities:read",),)), False, True, False),
        (AccessRecord(scopes=(("entities:read", "entities:write"),)), False, False, False),
        (AccessRecord(scopes=(("entities:read", "permits:read"), ("entities:write",))), False, True, True),
        (AccessRecord(policies=(("role:admin",),)), False, False, True),
        (AccessRecord(policies=(("role:inspector",), ("city_level",))), False, True, True),
        (AccessRecord(policies=(("role:inspector", "city_level"),)), False, False, False),
        (AccessRecord(policies=(("no_such_policy",),)), False, False, False),
        (AccessRecord(policies=(("role:",),)), False, False, False),
        (AccessRecord(scopes=(("entities:read",),), policies=(("role:inspector",),)), False, True, False),
    ],
)
def test_rules(rule: AccessRecord, anonymous: bool, inspector: bool, admin: bool) -> None:
    assert POLICY.allows(rule, None) is anonymous
    assert POLICY.allows(rule, INSPECTOR) is inspector
    assert POLICY.allows(rule, CITY_ADMIN) is admin


def test_field_and_type_rules_must_both_hold() -> None:
    field_rule = AccessRecord(authenticated=True)
    type_rule = AccessRecord(scopes=(("entities:write",),))
    assert not POLICY.allows_all((field_rule, type_rule), INSPECTOR)
    assert POLICY.allows_all((field_rule, type_rule), CITY_ADMIN)


def test_unauthorized_error_shape() -> None:
    assert unauthorized_error(["entity", "owner", 0, "idNumber"]) == {
        "message": "Unauthorized field or type",
        "path": ["entity", "owner", 0, "idNumber"],
        "extensions": {"code": UNAUTHORIZED_CODE},
    }
