"""Legal representatives' personal data: masked, unless the caller states a purpose its role may give (the role
table's ``[purposes]``), whatever app it signed in through; every unmasked read is audited with its purpose in the
request's transaction (DOMAIN.md §9: log every read of personal data)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.principal import Principal
from kernel.roles import PersonalDataPurpose, RoleTable
from subgraphs.entities.models import PersonalDataReadRow

PersonalDataRead = tuple[str, str, Principal, PersonalDataPurpose]
"""(uscc, GraphQL field name, caller, purpose): one unmasked field of one entity read by one caller."""


def reveals_personal_data(roles: RoleTable, caller: Principal, purpose: PersonalDataPurpose | None) -> bool:
    """True when the caller stated a purpose one of its roles may give."""
    return purpose is not None and roles.may_read_personal_data(caller.roles, purpose)


def audit_reads(session: AsyncSession, reads: Sequence[PersonalDataRead], *, at: dt.datetime) -> None:
    """One audit row per entity, caller and purpose, naming every field read (committed with the request)."""
    fields: defaultdict[tuple[str, Principal, PersonalDataPurpose], list[str]] = defaultdict(list)
    for uscc, field_name, caller, purpose in reads:
        if field_name not in fields[(uscc, caller, purpose)]:
            fields[(uscc, caller, purpose)].append(field_name)
    for (uscc, caller, purpose), names in fields.items():
        session.add(
            PersonalDataReadRow(
                subject=caller.subject,
                client_id=caller.client_id,
                org_path=caller.org_path,
                read_at=at,
                uscc=uscc,
                fields=",".join(sorted(names)),
                purpose=purpose.value,
                roles=",".join(sorted(caller.roles)),
            )
        )
