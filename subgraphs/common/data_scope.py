"""Whose rows a caller may see or change (属地监管, DOMAIN.md §9): the city, one district bureau, one station, or none.

The caller is the gateway-signed :class:`gateway.auth.Principal`. Officers are scoped by their ``org_path``;
machine clients need one of the scopes the operation names, and are scoped by their client record's
``org_path`` (or the whole city with :data:`CITY_WIDE`). Containment is segment-wise (``path_contains``):
``440304`` never admits ``4403041…``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import QueryableAttribute

from gateway.auth.principal import Principal
from subgraphs.common.errors import ClientError, ForbiddenError
from subgraphs.common.jurisdiction import OrgLevel, OrgUnit, default_org_tree, path_contains

CITY_WIDE = "jurisdiction:city"
"""Scope that gives a caller without an org path the whole city (a city-wide machine client)."""
PII_READ = "pii:read"
"""Scope that reveals personal data (ID numbers, phones); every such read is audited."""


def is_machine_client(caller: Principal) -> bool:
    """A client-credentials token: the subject is the client itself (RFC 9068 §2.2)."""
    return caller.client_id is not None and caller.subject == caller.client_id


@dataclass(frozen=True, slots=True)
class DataScope:
    """The org unit whose rows a caller reaches; ``unit is None`` reaches nothing."""

    unit: OrgUnit | None

    def admits_path(self, path: str | None) -> bool:
        """True when a row supervised at ``path`` lies in the scope (segment-wise)."""
        return self.unit is not None and path is not None and path_contains(self.unit.path, path)

    def admits(self, district_code: str | None, station_code: str | None) -> bool:
        """True when a row supervised by ``station_code`` (else ``district_code``) lies in the scope."""
        return self.admits_path(supervising_path(district_code, station_code))

    def where(self, district: QueryableAttribute[Any], station: QueryableAttribute[Any]) -> ColumnElement[bool]:
        """The same test as SQL over a table's district and station code columns (indexable equality)."""
        if self.unit is None:
            return false()
        if self.unit.level is OrgLevel.CITY:
            return true()
        if self.unit.level is OrgLevel.DISTRICT:
            return district == self.unit.code
        return station == self.unit.code


NOWHERE = DataScope(None)


def supervising_path(district_code: str | None, station_code: str | None) -> str | None:
    """The org path of the unit supervising a row: its station, else its district bureau; None when unknown."""
    tree = default_org_tree()
    unit = tree.get(station_code) if station_code is not None else None
    if unit is None and district_code is not None:
        unit = tree.get(district_code)
    return None if unit is None else unit.path


def data_scope(caller: Principal | None, *scopes: str) -> DataScope:
    """What ``caller`` reaches; a machine client must hold one of ``scopes`` (e.g. ``entities:read``)."""
    if caller is None:
        return NOWHERE
    if is_machine_client(caller) and not caller.scopes.intersection(scopes):
        return NOWHERE
    tree = default_org_tree()
    if caller.org_path is None:
        return DataScope(tree.city) if CITY_WIDE in caller.scopes else NOWHERE
    try:
        return DataScope(tree.unit_at(caller.org_path))
    except ClientError:  # a path the tree does not know reaches nothing
        return NOWHERE


def require_write(caller: Principal | None, scope: str, district_code: str | None, station_code: str | None) -> None:
    """``FORBIDDEN`` unless ``caller`` may change rows supervised there (machine clients need ``scope``)."""
    if not data_scope(caller, scope).admits(district_code, station_code):
        raise ForbiddenError(
            "this is outside your jurisdiction (or your client lacks the scope " + scope + "); nothing was changed"
        )
