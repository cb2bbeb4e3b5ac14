"""Legal representatives' personal data: masked, unless the caller holds ``pii:read``, and then every read is
audited in the request's transaction (DOMAIN.md §9: log every read of personal data)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.orgtree import PII_READ
from kernel.principal import Principal
from subgraphs.entities.models import PersonalDataReadRow

PersonalDataRead = tuple[str, str, Principal]
"""(uscc, GraphQL field name, caller): one unmasked field of one entity read by one caller."""


def reveals_personal_data(caller: Principal) -> bool:
    """True when the caller holds ``pii:read``."""
    return PII_READ in caller.scopes


def audit_reads(session: AsyncSession, reads: Sequence[PersonalDataRead], *, at: dt.datetime) -> None:
    """One audit row per entity and caller, naming every field read (committed with the request)."""
    fields: defaultdict[tuple[str, Principal], list[str]] = defaultdict(list)
    for uscc, field_name, caller in reads:
        if field_name not in fields[(uscc, caller)]:
            fields[(uscc, caller)].append(field_name)
    for (uscc, caller), names in fields.items():
        session.add(
            PersonalDataReadRow(
                subject=caller.subject,
                client_id=caller.client_id,
                org_path=caller.org_path,
                read_at=at,
                uscc=uscc,
                fields=",".join(sorted(names)),
            )
        )
