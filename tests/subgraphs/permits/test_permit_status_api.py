"""A permit's status through GraphQL: officer edges, the expiry job and renewal, every change logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from subgraphs.permits.jobs import expire_permits
from subgraphs.permits.services import PermitServices
from tests.subgraphs.permits.conftest import Subgraph
from tests.subgraphs.permits.operations import RECORD, RENEW, SUBMIT, catering, legacy_permit
from tests.support.clock import Clock

CHANGE = """
mutation($id: ID!, $status: PermitStatus!, $reason: String!) {
  changePermitStatus(id: $id, status: $status, reason: $reason) {
    permit { status statusReason statusHistory { fromStatus toStatus actor reason at } }
  }
}
"""
HISTORY = "query($id: ID!) { permit(id: $id) { status validTo statusHistory { fromStatus toStatus actor reason } } }"


def on(day: dt.date) -> PermitServices:
    """The services of a job run on ``day`` (Beijing)."""
    clock = Clock()
    clock.on(day)
    return PermitServices(clock=clock)


async def recorded(subgraph: Subgraph, serial: int = 1, **changes: Any) -> dict[str, Any]:
    subgraph.clock.on(dt.date(2025, 9, 1))
    permit: dict[str, Any] = (await subgraph.data(RECORD, input=legacy_permit(serial, **changes)))["recordPermit"][
        "permit"
    ]
    return permit


async def change(subgraph: Subgraph, permit: dict[str, Any], status: str, reason: str = "依据…") -> dict[str, Any]:
    return await subgraph.execute(CHANGE, id=permit["id"], status=status, reason=reason)


async def test_an_officer_suspends_reinstates_and_revokes_and_every_change_is_logged(subgraph: Subgraph) -> None:
    permit = await recorded(subgraph)
    suspended = (await change(subgraph, permit, "SUSPENDED", "责令停业整顿"))["data"]["changePermitStatus"]["permit"]
    assert (suspended["status"], suspended["statusReason"]) == ("SUSPENDED", "责令停业整顿")
    await change(subgraph, permit, "VALID", "整改完成")
    revoked = (await change(subgraph, permit, "REVOKED", "食品安全法第一百三十五条"))["data"]["changePermitStatus"][
        "permit"
    ]
    assert [(c["fromStatus"], c["toStatus"], c["actor"]) for c in revoked["statusHistory"]] == [
        ("VALID", "SUSPENDED", "city-officer"),
        ("SUSPENDED", "VALID", "city-officer"),
        ("VALID", "REVOKED", "city-officer"),
    ]
    cancel = {**catering(action="CANCEL", permitId=permit["id"]), "items": ["CATERING_HOT@JY-2015"]}
    refused = await subgraph.error(SUBMIT, input=cancel)
    assert refused.extensions["code"] == "PERMIT_NOT_IN_FORCE"
    final = await change(subgraph, permit, "VALID")
    assert final["errors"][0]["extensions"] == {
        "code": "ILLEGAL_TRANSITION",
        "currentStatus": "REVOKED",
        "requestedStatus": "VALID",
        "allowedNextStatuses": [],
    }


async def test_refused_changes_write_nothing(subgraph: Subgraph) -> None:
    permit = await recorded(subgraph)
    no_reason = await change(subgraph, permit, "SUSPENDED", "  ")
    assert no_reason["errors"][0]["extensions"]["code"] == "REASON_REQUIRED"
    not_by_hand = await change(subgraph, permit, "EXPIRED")
    assert not_by_hand["errors"][0]["extensions"]["allowedNextStatuses"] == ["SUSPENDED", "REVOKED", "CANCELLED"]
    missing = await subgraph.execute(CHANGE, id="no-such-permit", status="SUSPENDED", reason="x")
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await subgraph.data(HISTORY, id=permit["id"]))["permit"]["statusHistory"] == []
    assert await subgraph.count("permit_status_change") == 0


async def test_expiry_is_logged_expired_permits_are_renewed_not_reinstated(subgraph: Subgraph) -> None:
    valid, suspended = await recorded(subgraph, 1), await recorded(subgraph, 2)
    await change(subgraph, suspended, "SUSPENDED", "责令停业")
    subgraph.clock.on(dt.date(2026, 2, 20))  # inside the last 15 working days: a late renewal
    late = await subgraph.data(
        RENEW, id=valid["id"], input={"applicantName": "深圳市测试餐饮有限公司1", "legalRepresentative": "张三"}
    )
    assert late["renewPermit"]["application"]["state"] == "SUBMITTED"

    assert await expire_permits(subgraph.database, on(dt.date(2026, 3, 1))) == 2
    assert await expire_permits(subgraph.database, on(dt.date(2026, 3, 1))) == 0
    history = (await subgraph.data(HISTORY, id=suspended["id"]))["permit"]["statusHistory"]
    assert history[-1] == {
        "fromStatus": "SUSPENDED",
        "toStatus": "EXPIRED",
        "actor": "SYSTEM",
        "reason": "validity period ended",
    }
    by_hand = await change(subgraph, valid, "VALID")
    assert "renew it instead" in by_hand["errors"][0]["message"]

    subgraph.clock.on(dt.date(2026, 3, 2))
    application = late["renewPermit"]["application"]["id"]
    await subgraph.data("mutation($id: ID!) { acceptApplication(id: $id) { application { state } } }", id=application)
    await subgraph.data(
        "mutation($id: ID!) { decideApplication(id: $id, approve: true) { application { state } } }", id=application
    )
    await subgraph.data("mutation($id: ID!) { issueCertificate(id: $id) { application { state } } }", id=application)
    renewed = (await subgraph.data(HISTORY, id=valid["id"]))["permit"]
    assert (renewed["status"], renewed["validTo"]) == ("VALID", "2031-02-28")
    old = await recorded(subgraph, 3, validFrom="2018-01-01", validTo="2022-12-31", status="EXPIRED")
    window = "query($id: ID!) { permit(id: $id) { renewalWindow { dueBy } } }"
    assert (await subgraph.data(window, id=old["id"]))["permit"]["renewalWindow"] is None  # before the 2023 rules
    too_late = await subgraph.execute(RENEW, id=old["id"], input={"applicantName": "x", "legalRepresentative": "y"})
    assert too_late["errors"][0]["extensions"] == {"code": "PERMIT_EXPIRED", "expiresOn": "2022-12-31"}
    assert [(c["fromStatus"], c["toStatus"], c["reason"]) for c in renewed["statusHistory"]] == [
        ("VALID", "EXPIRED", "validity period ended"),
        ("EXPIRED", "VALID", "renewed"),
    ]
