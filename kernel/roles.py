"""The bureau's roles and what each may do, as versioned data (``reference/roles.toml``).

A role belongs to one population: officers (scoped by their org path), enterprise users (市场通, scoped by the
USCCs they act for) and machine clients (one role per integration). An *action* is one thing a caller may ask for,
named ``<component>.<what>`` (``permits.decide_application``); every mutation names its action, and the gateway
and the subgraphs both check it against this table. Personal data is shown for a stated *purpose* only, and a
role may state only its own purposes.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, NewType

from kernel.errors import InternalError
from kernel.orgtree import OrgLevel

Action = NewType("Action", str)
"""``<component>.<what>``, a key of the role table's ``[actions]``."""


class Population(StrEnum):
    """Who a role is for: they sign in differently and are scoped differently."""

    OFFICER = "officer"
    ENTERPRISE = "enterprise"
    MACHINE = "machine"


class Role(StrEnum):
    """The roles of ``roles.toml`` (a test keeps the two equal)."""

    INSPECTOR = "inspector"
    CASE_OFFICER = "case_officer"
    LEGAL_REVIEWER = "legal_reviewer"
    AGENCY_HEAD = "agency_head"
    ADMIN = "admin"
    ANALYST = "analyst"
    LAB_ANALYST = "lab_analyst"
    REGISTRY_FEED = "registry_feed"
    PERMIT_ARCHIVE = "permit_archive"
    SERVICE_PORTAL = "service_portal"
    DEVICE_GATEWAY = "device_gateway"
    ENTERPRISE_OWNER = "enterprise_owner"
    ENTERPRISE_STAFF = "enterprise_staff"


class PersonalDataPurpose(StrEnum):
    """Why a caller asks for personal data unmasked (``[purposes]`` of ``roles.toml``; a test keeps them equal)."""

    INSPECTION = "INSPECTION"
    PERMIT_REVIEW = "PERMIT_REVIEW"
    CASE_INVESTIGATION = "CASE_INVESTIGATION"
    LEGAL_REVIEW = "LEGAL_REVIEW"
    REGISTRATION = "REGISTRATION"


@dataclass(frozen=True, slots=True)
class RoleInfo:
    """One role: its population, its names, and its duty in one line."""

    role: Role
    population: Population
    zh: str
    en: str
    duty: str


@dataclass(frozen=True, slots=True)
class Grant:
    """Who may take one action: any of ``roles``, an officer only at one of ``levels`` (empty: any level)."""

    action: Action
    roles: frozenset[Role]
    levels: frozenset[OrgLevel]
    what: str

    @property
    def component(self) -> str:
        return self.action.split(".", 1)[0]

    @property
    def write_scope(self) -> str:
        """The OAuth scope a client must hold to take this action for its user (``permits:write``)."""
        return f"{self.component}:write"

    def refusal(self, roles: Iterable[str], level: OrgLevel | None) -> str | None:
        """Why a caller with ``roles`` (an officer at ``level``) may not take the action; None when they may."""
        held = self.roles.intersection(roles)
        if not held:
            return f"it needs the role {_either(sorted(self.roles))}"
        officer_roles = {r for r in held if ROLE_POPULATIONS[r] is Population.OFFICER}
        if self.levels and officer_roles == held and level not in self.levels:
            levels = _either(sorted(level.value.lower() for level in self.levels))
            where = "an officer without an org unit" if level is None else f"a {level.value.lower()} unit"
            return f"it is decided at the {levels} level, not by {where}"
        return None


@dataclass(frozen=True, slots=True)
class Purpose:
    """A reason (目的) for seeing personal data unmasked, and the roles that may give it."""

    name: str
    roles: frozenset[Role]
    what: str


@dataclass(frozen=True, slots=True)
class RoleTable:
    """One version of the table: roles, the actions they may take, the purposes they may state."""

    version: str
    effective_from: dt.date
    basis: str
    roles: tuple[RoleInfo, ...]
    grants: Mapping[Action, Grant]
    purposes: Mapping[str, Purpose] = field(default_factory=dict)

    def grant(self, action: str) -> Grant:
        """The grant of ``action``; an action the table does not know is a defect (fail closed at import)."""
        found = self.grants.get(Action(action))
        if found is None:
            raise InternalError(f"action {action!r} is not in the role table {self.version}")
        return found

    def info(self, role: Role) -> RoleInfo:
        return next(info for info in self.roles if info.role is role)

    def may_read_personal_data(self, roles: Iterable[str], purpose: str) -> bool:
        """True when one of ``roles`` may state ``purpose``."""
        found = self.purposes.get(purpose)
        return found is not None and bool(found.roles.intersection(roles))


def _either(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _load(data: Mapping[str, Any]) -> RoleTable:
    roles = tuple(
        RoleInfo(Role(name), Population(entry["population"]), entry["zh"], entry["en"], entry["duty"])
        for name, entry in data["roles"].items()
    )
    grants = {
        Action(name): Grant(
            Action(name),
            frozenset(Role(r) for r in entry["roles"]),
            frozenset(OrgLevel(level) for level in entry.get("levels", ())),
            entry["what"],
        )
        for name, entry in data["actions"].items()
    }
    purposes = {
        name: Purpose(name, frozenset(Role(r) for r in entry["roles"]), entry["what"])
        for name, entry in data["purposes"].items()
    }
    if {info.role for info in roles} != set(Role) or set(purposes) != set(PersonalDataPurpose):
        raise InternalError("roles.toml and kernel.roles must name the same roles and purposes")
    return RoleTable(data["version"], data["effective_from"], data["basis"], roles, grants, purposes)


@cache
def default_role_table() -> RoleTable:
    """The shipped table (``reference/roles.toml``)."""
    text = (resources.files("kernel") / "reference" / "roles.toml").read_text(encoding="utf-8")
    return _load(tomllib.loads(text))


ROLE_POPULATIONS: Mapping[str, Population] = {info.role: info.population for info in default_role_table().roles}
"""Each role's population, by role name."""
