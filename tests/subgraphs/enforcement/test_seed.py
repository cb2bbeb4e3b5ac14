"""``zhijian seed --enforcement N``: cases at every stage against the seeded entities, each with an intact chain."""

from __future__ import annotations

from sqlalchemy import func, select

from kernel.db import Database
from subgraphs.common.component import Holder, SeedRequest
from subgraphs.enforcement.component import component
from subgraphs.enforcement.evidence import verify_chain
from subgraphs.enforcement.models import CaseRow, EvidenceRow
from subgraphs.enforcement.services import EnforcementServices

HOLDERS = tuple(
    Holder(f"91440300MA5F0000{serial}X", f"测试{serial}", "广东省深圳市福田区华强北街道振兴路1号", "440304")
    for serial in range(3)
)


async def test_seeded_cases_carry_intact_evidence_chains(database: Database, services: EnforcementServices) -> None:
    assert component.seed is not None
    refused = await component.seed(database, services, SeedRequest(5, progress=False))
    assert refused.refusal is not None
    outcome = await component.seed(database, services, SeedRequest(12, progress=False, holders=HOLDERS))
    assert outcome.report.startswith("enforcement: 12 cases, 36 evidence items")
    async with database.transaction() as session:
        cases = list(await session.scalars(select(CaseRow)))
        assert {case.party_uscc for case in cases} == {holder.uscc for holder in HOLDERS}
        assert {case.district_code for case in cases} == {"440304"}
        assert await session.scalar(select(func.count()).select_from(EvidenceRow)) == 36
        for case in cases[:4]:
            verdict = await verify_chain(session, services, case.id)
            assert (verdict.intact, verdict.items) == (True, 3)
