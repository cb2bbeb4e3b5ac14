"""The registry's change records → ``RegistryChangeInput`` of the entities subgraph: pure functions.

The registry speaks its own dialect: change types SL/BG/ZX (设立/变更/注销), entity-type codes, dates as
``yyyyMMdd``. What does not fit is refused per field with the same validators the subgraph uses, so an operator
sees all of a record's problems at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from adapters.validation import Checks
from subgraphs.entities.vocabulary import EntityType

KINDS = {"SL": "ESTABLISH", "BG": "CHANGE", "ZX": "DEREGISTER"}
"""The registry's change types: 设立, 变更, 注销."""

ENTITY_TYPES: Mapping[str, EntityType] = {
    "1100": EntityType.COMPANY,  # 有限责任公司
    "1200": EntityType.COMPANY,  # 股份有限公司
    "1300": EntityType.COMPANY_BRANCH,  # 公司分支机构
    "3100": EntityType.NON_COMPANY_ENTERPRISE,  # 非公司企业法人
    "4100": EntityType.SOLE_PROPRIETORSHIP,  # 个人独资企业
    "4500": EntityType.PARTNERSHIP,  # 合伙企业
    "9100": EntityType.FARMERS_COOPERATIVE,  # 农民专业合作社
    "9600": EntityType.INDIVIDUAL_BUSINESS,  # 个体工商户
}
"""The simulated registry's entity-type codes (the real code table is the registry's own)."""


def to_registry_change(fields: Mapping[str, str]) -> dict[str, Any]:
    """One change record → a ``RegistryChangeInput`` (without its ``ref``)."""
    checks = Checks(fields)
    kind = checks.choice("changeType", KINDS)
    uscc = checks.uscc("uscc")
    if kind == "DEREGISTER":
        on = checks.date("canDate")
        checks.done()
        return {"kind": kind, "uscc": uscc, "effectiveOn": on.isoformat() if on else None}
    entity_type = checks.choice("entType", ENTITY_TYPES)
    established = checks.date("estDate")
    registration = {
        "uscc": uscc,
        "name": checks.text("entName", 200),
        "entityType": entity_type.value if entity_type else None,
        "establishedOn": established.isoformat() if established else None,
        "legalRepresentative": {
            "name": checks.text("lerep", 100),
            "idNumber": checks.text("lerepCerNo", 18),
            "phone": checks.text("lerepTel", 20),
        },
        "domicile": checks.text("dom", 300),
        "premises": checks.text("opLoc", 300),
        "businessScope": checks.text("opScope", 4000),
        "legacyRegNo": checks.optional_text("regNo", 15),
    }
    effective = checks.datetime("changeTime")
    checks.done()
    on = effective.date() if kind == "CHANGE" and effective else established
    return {"kind": kind, "uscc": uscc, "effectiveOn": (on or dt.date.min).isoformat(), "registration": registration}
