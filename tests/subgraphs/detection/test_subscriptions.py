"""The live kitchen-alert feed through the embedded hub's gateway on a real socket, over graphql-transport-ws and
GraphQL over SSE: alerts raised by the ingestion client and moved by an inspector arrive joined with the entities
subgraph's registration, only in the subscriber's jurisdiction; roles are checked on subscribe; an expired token
ends the subscription."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from websockets.asyncio.client import connect

from identity.records import SignedIn
from kernel.roles import Role
from tests.gateway.servers import serving
from tests.subgraphs.detection.conftest import REGISTER_CAMERA, REGISTER_DEVICE, REPORT, detections, device
from tests.subgraphs.permits.conftest import uscc
from tests.subgraphs.permits.test_registry import registered_in
from tests.subgraphs.test_roles import _account, _client, token_for
from tests.support.hub import RunningHub, running_hub
from tests.support.identities import CITY, FUTIAN, NANSHAN, officer

FEED = """subscription($states: [AlertState!]) {
  kitchenAlerts(states: $states) { state category uscc boxes { x y w h } entity { uscc name } }
}"""
REVIEW = "mutation($id: ID!) { startAlertReview(id: $id) { alert { state } } }"
DECIDE = 'mutation($id: ID!) { decideAlertReview(id: $id, confirm: true, note: "戴帽不规范") { alert { state } } }'
FUTIAN_ENTITY = {"uscc": uscc(1), "name": "深圳市测试餐饮有限公司1"}
BOX = {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4}


@dataclasses.dataclass
class Hub:
    running: RunningHub
    url: str
    ingest: str

    @property
    def feed(self) -> Any:
        return self.running.hub.jobs.services["detection"].alert_feed

    async def raise_alert(self, where: str, seq: int, category: str = "NO_HAT") -> str:
        """A CANDIDATE alert reported by the edge box of ``where`` (futian or nanshan); its id."""
        message = {**detections(seq, (category, 0.9)), "deviceId": f"EDGE-{where}", "cameraId": f"CAM-{where}"}
        body = await self.running.graphql(self.ingest, REPORT, input=message)
        assert "errors" not in body, body
        return str(body["data"]["reportKitchenDetections"]["alerts"][0]["id"])

    async def listeners(self, count: int) -> None:
        async with asyncio.timeout(5):
            while self.feed.listening != count:  # noqa: ASYNC110 - the feed exposes only a count
                await asyncio.sleep(0.01)


@pytest.fixture
async def hub(sqlite_database_url: str, tmp_path: Path) -> AsyncIterator[Hub]:
    async with AsyncExitStack() as stack:
        running = await stack.enter_async_context(running_hub(sqlite_database_url, tmp_path))
        url = await stack.enter_async_context(serving(running.hub.gateway, lifespan="on"))
        await registered_in(running, 1)
        admin = await token_for(running, Role.ADMIN, officer(CITY, roles=("admin",)), "openid detection:write")
        for where, serial, region, address in (
            ("futian", 1, "440304", "深圳市福田区南园街道滨河路1号"),
            ("nanshan", 2, "440305", "深圳市南山区粤海街道科技园路1号"),
        ):
            box = device(f"EDGE-{where}", uscc=uscc(serial), premisesRegion=region, premisesAddress=address)
            camera = {"cameraId": f"CAM-{where}", "deviceId": f"EDGE-{where}", "location": "热厨"}
            for document, value in ((REGISTER_DEVICE, box), (REGISTER_CAMERA, camera)):
                assert "errors" not in await running.graphql(admin, document, input=value)
        ingest = await running.machine_client("detection:write", "jurisdiction:city", roles=("device_gateway",))
        yield Hub(running, url, ingest)


async def inspector(hub: Hub, org_path: str = FUTIAN, *, expired: bool = False) -> str:
    caller = officer(org_path, subject=f"inspector-{org_path[-6:]}", roles=("inspector",))
    if not expired:
        return await token_for(hub.running, Role.INSPECTOR, caller, "openid detection:write")
    provider = hub.running.hub.identity.state.identity.provider
    ttl = hub.running.identity.access_token_ttl
    stale = dataclasses.replace(provider.minter, clock=lambda: time.time() - ttl - 5)  # expired 5 s ago
    user = SignedIn(_account(caller, Role.INSPECTOR), f"sid-{caller.subject}", int(time.time()) - ttl - 5)
    client = _client(Role.INSPECTOR, ("openid", "detection:write"))
    return str(stale("authorization_code", client, user=user, scope="openid detection:write")["access_token"])


@asynccontextmanager
async def subscribed(hub: Hub, transport: str, token: str, variables: dict[str, Any]) -> AsyncIterator[Any]:
    """The subscription's results (each a ``{"data"|"errors": …}`` payload) over ``transport``, as an iterator."""
    body = {"query": FEED, "variables": variables}
    if transport == "ws":
        url = "ws" + hub.url[4:] + "/graphql"
        async with connect(url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
            init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
            await socket.send(orjson.dumps(init).decode())
            assert orjson.loads(await socket.recv()) == {"type": "connection_ack"}
            await socket.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": body}).decode())

            async def results() -> AsyncIterator[dict[str, Any]]:
                while True:
                    message = orjson.loads(await socket.recv())
                    if message["type"] == "complete":
                        return
                    yield message["payload"] if message["type"] == "next" else {"errors": message["payload"]}

            yield results()
        return
    headers = {"accept": "text/event-stream", "authorization": f"Bearer {token}"}
    async with (
        httpx.AsyncClient(timeout=10) as http,
        http.stream("POST", f"{hub.url}/graphql", json=body, headers=headers) as response,
    ):
        assert response.status_code == 200, await response.aread()

        async def events() -> AsyncIterator[dict[str, Any]]:
            buffer = ""
            async for chunk in response.aiter_text():
                buffer += chunk
                while "\n\n" in buffer:
                    block, buffer = buffer.split("\n\n", 1)
                    kind, _, data = block.partition("\ndata:")
                    if kind == "event: complete":
                        return
                    yield orjson.loads(data)

        yield events()


async def received(results: AsyncIterator[dict[str, Any]]) -> dict[str, Any]:
    async with asyncio.timeout(10):
        return await anext(results)


@pytest.mark.parametrize("transport", ["ws", "sse"])
async def test_an_alert_arrives_joined_with_its_entity_and_follows_its_review(hub: Hub, transport: str) -> None:
    token = await inspector(hub)
    async with subscribed(hub, transport, token, {}) as results:
        await hub.listeners(1)
        await hub.raise_alert("nanshan", 1)  # another district's: never sent to a Futian officer
        alert_id = await hub.raise_alert("futian", 1)
        first = await received(results)
        assert first == {
            "data": {
                "kitchenAlerts": {
                    "state": "CANDIDATE", "category": "NO_HAT", "uscc": uscc(1), "boxes": [BOX], "entity": FUTIAN_ENTITY
                }
            }
        }  # fmt: skip
        for document, state in ((REVIEW, "IN_REVIEW"), (DECIDE, "CONFIRMED")):
            assert "errors" not in await hub.running.graphql(token, document, id=alert_id)
            assert (await received(results))["data"]["kitchenAlerts"]["state"] == state
    await hub.listeners(0)


@pytest.mark.parametrize("transport", ["ws", "sse"])
async def test_a_district_officer_receives_only_alerts_of_the_district_and_the_states_asked(
    hub: Hub, transport: str
) -> None:
    token = await inspector(hub, NANSHAN)
    async with subscribed(hub, transport, token, {"states": ["CANDIDATE"]}) as results:
        await hub.listeners(1)
        futian = await hub.raise_alert("futian", 1)
        futian_token = await inspector(hub)
        assert "errors" not in await hub.running.graphql(futian_token, REVIEW, id=futian)
        await hub.raise_alert("nanshan", 1, "NO_MASK")
        event = (await received(results))["data"]["kitchenAlerts"]
        assert (event["uscc"], event["category"], event["entity"]) == (uscc(2), "NO_MASK", None)


@pytest.mark.parametrize("transport", ["ws", "sse"])
async def test_an_expired_token_ends_the_subscription(hub: Hub, transport: str) -> None:
    token = await inspector(hub, expired=True)  # within the gateway's leeway: accepted when subscribing
    async with subscribed(hub, transport, token, {}) as results:
        ended = await received(results)
        assert ended["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        async with asyncio.timeout(10):
            assert [result async for result in results] == []
    await hub.listeners(0)


async def test_roles_are_checked_when_subscribing(hub: Hub) -> None:
    lab = officer(FUTIAN, subject="futian.lab", roles=("lab_analyst",))
    token = await token_for(hub.running, Role.LAB_ANALYST, lab, "openid detection:write")
    async with subscribed(hub, "ws", token, {}) as results:
        refused = await received(results)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE", refused
    assert hub.feed.listening == 0
