"""Authorization directives shape the plan: golden plans per caller, executed with partial results.

Regenerate after an intended change with `ZHIJIAN_UPDATE_GOLDEN=1 pytest tests/gateway/auth`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from gateway.auth import AccessPolicy, unauthorized_error
from gateway.execution import Gateway
from gateway.planner import render_plan
from kernel.principal import Principal
from tests.gateway.auth.principals import INSPECTOR, OTHER_READER, READER
from tests.gateway.auth.scenario import auth_federation

GOLDEN = Path(__file__).parent / "golden"

NOTICES = "{ notices { text entity { name permits { number } } } }"
ITEMS = "{ items { id } }"
ITEM_FRAGMENTS = "{ items { __typename ... on Notice { id text } ... on Lead { informant } } }"
ENTITIES = "{ entities { name phone riskScore permits { number } } }"
CALLERS: dict[str, Principal | None] = {"anonymous": None, "reader": READER, "inspector": INSPECTOR}


def unauthorized(*path: str) -> dict[str, Any]:
    """The error Router answers for one removed selection."""
    return unauthorized_error(path)


@pytest.fixture(scope="module")
def gateway() -> Gateway:
    federation = auth_federation()
    return Gateway(federation.supergraph_sdl, federation.transports(), access=AccessPolicy())


def plan_text(gateway: Gateway, query: str, principal: Principal | None) -> str:
    planned = gateway.plan(query, None, gateway.prepare(query, None), (), principal)
    removed = "".join(f"removed {'.'.join(error['path'])}\n" for error in planned.unauthorized)
    return render_plan(planned.plan) + "\n" + removed


@pytest.mark.parametrize("who", list(CALLERS))
@pytest.mark.parametrize(
    "name,query", [("notices", NOTICES), ("entities", ENTITIES), ("items", ITEMS), ("item_fragments", ITEM_FRAGMENTS)]
)
def test_plan_matches_golden(gateway: Gateway, name: str, query: str, who: str) -> None:
    path = GOLDEN / f"{name}_{who}.txt"
    text = plan_text(gateway, query, CALLERS[who])
    if os.environ.get("ZHIJIAN_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


async def test_anonymous_gets_public_data_and_null_where_signed_in_only(gateway: Gateway) -> None:
    result = await gateway.execute(NOTICES)
    assert result["errors"][0]["extensions"] == {"code": "UNAUTHORIZED_FIELD_OR_TYPE"}
    # Permit is @authenticated and `permits` is non-null, so the null propagates to the nullable `entity`.
    assert result == {
        "errors": [unauthorized("notices", "@", "entity", "permits")],
        "data": {"notices": [{"text": "整改通知", "entity": None}, {"text": "公告", "entity": None}]},
    }


async def test_anonymous_root_field_removed_answers_null_data_without_fetching(gateway: Gateway) -> None:
    assert gateway.plan(ENTITIES, None, gateway.prepare(ENTITIES, None), (), None).plan.fetches == ()
    assert await gateway.execute(ENTITIES) == {"errors": [unauthorized("entities")], "data": None}


async def test_scope_and_policy_each_remove_only_their_field(gateway: Gateway) -> None:
    reader = await gateway.execute(ENTITIES, principal=READER)
    inspector = await gateway.execute(ENTITIES, principal=INSPECTOR)
    assert reader["errors"] == [unauthorized("entities", "@", "riskScore")]
    assert inspector["errors"] == [unauthorized("entities", "@", "phone")]
    assert [e["phone"] for e in reader["data"]["entities"]] == ["138", "139"]
    assert [e["riskScore"] for e in reader["data"]["entities"]] == [None, None]
    assert [e["phone"] for e in inspector["data"]["entities"]] == [None, None]
    assert [e["riskScore"] for e in inspector["data"]["entities"]] == [3, 1]
    assert inspector["data"]["entities"][0]["permits"] == [
        {"number": "JY14403040000001"},
        {"number": "JY14403040000002"},
    ]


async def test_signed_in_caller_gets_everything_the_rules_allow(gateway: Gateway) -> None:
    result = await gateway.execute(NOTICES, principal=READER)
    assert "errors" not in result
    assert result["data"]["notices"][0]["entity"] == {
        "name": "福田酒家",
        "permits": [{"number": "JY14403040000001"}, {"number": "JY14403040000002"}],
    }


def test_plan_cache_is_shared_only_by_callers_with_the_same_outcome(gateway: Gateway) -> None:
    prepared = gateway.prepare(ENTITIES, None)
    reader = gateway.plan(ENTITIES, None, prepared, (), READER)
    assert gateway.plan(ENTITIES, None, prepared, (), OTHER_READER) is reader
    inspector = gateway.plan(ENTITIES, None, prepared, (), INSPECTOR)
    assert inspector is not reader
    assert gateway.plan(ENTITIES, None, prepared, (), None) not in (reader, inspector)


async def test_directives_are_not_enforced_without_an_access_policy() -> None:
    federation = auth_federation()
    plain = Gateway(federation.supergraph_sdl, federation.transports())
    result = await plain.execute(ENTITIES)
    assert "errors" not in result and result["data"]["entities"][0]["riskScore"] == 3


async def test_an_interface_with_a_signed_in_implementation_is_signed_in_as_a_whole(gateway: Gateway) -> None:
    # Composition copies Lead's @authenticated onto the interface Item (Apollo's rule), so even fragments
    # on the public Notice cannot be reached through `items` anonymously.
    assert await gateway.execute(ITEMS) == {"errors": [unauthorized("items")], "data": None}
    assert await gateway.execute(ITEM_FRAGMENTS) == {"errors": [unauthorized("items")], "data": None}
    assert (await gateway.execute(ITEMS, principal=INSPECTOR))["data"] == {
        "items": [{"id": "N1"}, {"id": "N2"}, {"id": "L1"}]
    }
    signed_in = await gateway.execute(ITEM_FRAGMENTS, principal=READER)
    assert signed_in["data"]["items"][2] == {"__typename": "Lead", "informant": "匿名举报"}
