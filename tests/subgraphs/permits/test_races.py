"""Every transition of the permits subgraph under 20 concurrent identical requests, on SQLite and PostgreSQL:
exactly one wins, the others are told why with a code, and exactly one effect is recorded (read back)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from subgraphs.permits.models import PermitApplicationRow, PermitRow, PermitStatusChangeRow, PermitTransitionRow
from tests.subgraphs.permits.conftest import Subgraph, registered
from tests.subgraphs.permits.operations import (
    ACCEPT,
    AUTO_CHECK,
    DECIDE,
    EXTEND,
    ISSUE,
    RECORD,
    RENEW,
    REQUEST_MATERIALS,
    RESUBMIT,
    SITE_CHECK,
    SUBMIT,
    SUBMIT_DRAFT,
    catering,
    legacy_permit,
)
from tests.support.races import exactly_one_won, race

MOVED_ON = ("ILLEGAL_TRANSITION", "CONCURRENT_CHANGE")
"""What a loser hears: the state has moved on (it saw the winner's commit), or it met the winner mid-change."""


async def submitted(subgraph: Subgraph, **changes: Any) -> str:
    data = await subgraph.data(SUBMIT, input=catering(**changes))
    return str(data["submitPermitApplication"]["application"]["id"])


async def transitions(subgraph: Subgraph, application: str, to_state: str) -> int:
    async with subgraph.database.transaction() as session:
        statement = select(func.count()).where(
            PermitTransitionRow.application_id == application, PermitTransitionRow.to_state == to_state
        )
        return int(await session.scalar(statement) or 0)


async def step_race(subgraph: Subgraph, operation: str, application: str, **variables: Any) -> Any:
    return await race(lambda _: subgraph.execute(operation, id=application, **variables))


async def test_submitting_a_draft(subgraph: Subgraph) -> None:
    draft = await subgraph.data(SUBMIT, input=catering(), draft=True)
    application = draft["submitPermitApplication"]["application"]["id"]
    exactly_one_won(await step_race(subgraph, SUBMIT_DRAFT, application), *MOVED_ON)
    assert await transitions(subgraph, application, "SUBMITTED") == 1


async def test_requesting_materials_then_resubmitting(subgraph: Subgraph) -> None:
    application = await submitted(subgraph)
    exactly_one_won(await step_race(subgraph, REQUEST_MATERIALS, application, missing=["平面图"]), *MOVED_ON)
    assert await transitions(subgraph, application, "MATERIALS_INCOMPLETE") == 1
    exactly_one_won(await step_race(subgraph, RESUBMIT, application), *MOVED_ON)
    assert await transitions(subgraph, application, "SUBMITTED") == 2  # the first submission and one resubmission


async def test_accepting(subgraph: Subgraph) -> None:
    application = await submitted(subgraph)
    exactly_one_won(await step_race(subgraph, ACCEPT, application), *MOVED_ON)
    assert await transitions(subgraph, application, "ACCEPTED") == 1


async def test_the_automatic_check(subgraph: Subgraph) -> None:
    subgraph.registry.put(registered(1))
    application = await submitted(subgraph, route="COMMITMENT", commitmentSigned=True)
    exactly_one_won(await step_race(subgraph, AUTO_CHECK, application), *MOVED_ON)
    assert await transitions(subgraph, application, "AUTO_CHECKED") == 1
    assert await transitions(subgraph, application, "CERT_ISSUED") == 1
    async with subgraph.database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(PermitRow)) == 1


async def test_recording_the_site_check_and_extending_the_deadline(subgraph: Subgraph) -> None:
    application = await submitted(subgraph)
    await subgraph.data(ACCEPT, id=application)
    extended = await step_race(subgraph, EXTEND, application, reason="需要专家评审")
    exactly_one_won(extended, "DEADLINE_ALREADY_EXTENDED", "CONCURRENT_CHANGE")
    checked = await step_race(subgraph, SITE_CHECK, application, inspectors=["张三", "李四"], passed=True)
    exactly_one_won(checked, *MOVED_ON)
    assert await transitions(subgraph, application, "SITE_CHECK") == 1


async def test_deciding_ten_approvals_against_ten_rejections(subgraph: Subgraph) -> None:
    application = await submitted(subgraph)
    await subgraph.data(ACCEPT, id=application)
    await subgraph.data(SITE_CHECK, id=application, inspectors=["张三", "李四"], passed=True)
    outcome = await race(
        lambda i: subgraph.execute(DECIDE, id=application, approve=i % 2 == 0, reason="" if i % 2 == 0 else "不符合")
    )
    exactly_one_won(outcome, *MOVED_ON)
    async with subgraph.database.transaction() as session:
        row = await session.get(PermitApplicationRow, application)
        assert row is not None and row.decision is not None
    decided = sum([await transitions(subgraph, application, state) for state in ("APPROVED", "REJECTED")])
    assert decided == 1


async def test_issuing_the_certificate_issues_one_permit(subgraph: Subgraph) -> None:
    application = await submitted(subgraph)
    await subgraph.data(ACCEPT, id=application)
    await subgraph.data(SITE_CHECK, id=application, inspectors=["张三", "李四"], passed=True)
    await subgraph.data(DECIDE, id=application, approve=True)
    exactly_one_won(await step_race(subgraph, ISSUE, application), *MOVED_ON)
    assert await transitions(subgraph, application, "CERT_ISSUED") == 1
    async with subgraph.database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(PermitRow)) == 1


async def test_renewing_one_permit_opens_one_application(subgraph: Subgraph) -> None:
    permit = (await subgraph.data(RECORD, input=legacy_permit()))["recordPermit"]["permit"]
    subgraph.clock.on(dt.date(2025, 10, 17))  # inside the renewal window
    renewal = {"applicantName": "深圳市测试餐饮有限公司1", "legalRepresentative": "张三"}
    outcome = await race(lambda _: subgraph.execute(RENEW, id=permit["id"], input=renewal))
    exactly_one_won(outcome, "CONFLICT", "CONCURRENT_CHANGE")
    async with subgraph.database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(PermitApplicationRow)) == 1


SUSPEND = 'mutation($id: ID!) { changePermitStatus(id: $id, status: SUSPENDED, reason: "责令停业") { permit { id } } }'


async def test_changing_a_permits_status(subgraph: Subgraph) -> None:
    permit = (await subgraph.data(RECORD, input=legacy_permit()))["recordPermit"]["permit"]
    exactly_one_won(await race(lambda _: subgraph.execute(SUSPEND, id=permit["id"])), *MOVED_ON)
    async with subgraph.database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(PermitStatusChangeRow)) == 1


async def test_recording_one_legacy_number_once(subgraph: Subgraph) -> None:
    outcome = await race(lambda _: subgraph.execute(RECORD, input=legacy_permit()))
    exactly_one_won(outcome, "CONFLICT")
    async with subgraph.database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(PermitRow)) == 1
