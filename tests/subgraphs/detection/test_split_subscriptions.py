"""The kitchen-alert feed in the split deployment: two detection processes (apps with feeds of their own) and the
entities subgraph served on real sockets over one database, the gateway subscribing to one detection process over a
WebSocket with the caller's signed identity; an alert raised through the other process reaches the subscriber
through Redis, joined with the entity's registered name."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from websockets.asyncio.client import connect

from gateway.composition import SubgraphSource, compose
from gateway.http.app import create_app
from gateway.settings import GatewaySettings
from kernel.db import Database
from subgraphs.common.component import Wiring
from subgraphs.detection.alert_feed import RedisAlertFeed
from subgraphs.detection.component import component as detection
from subgraphs.detection.services import DetectionServices
from subgraphs.entities.component import component as entities
from tests.gateway.auth.issuer import AUDIENCE, Issuer
from tests.gateway.servers import serving
from tests.subgraphs.detection.conftest import NOW, Subgraph, an_alert
from tests.subgraphs.permits.test_registry import REGISTER, registration
from tests.support.clock import Clock
from tests.support.components import app_of, migrated
from tests.support.graphql import data_of, post_as
from tests.support.identities import FUTIAN, TEST_SIGNER, machine, officer, signed

FEED = "subscription { kitchenAlerts { state category entity { uscc name } } }"


@pytest.fixture
async def database(sqlite_database_url: str) -> AsyncIterator[Database]:
    database = await migrated(sqlite_database_url, entities, detection)
    yield database
    await database.dispose()


async def test_an_alert_raised_in_one_detection_process_reaches_a_subscriber_of_another_through_redis(
    database: Database, redis_server_url: str, tmp_path: Path
) -> None:
    channel = f"test:kitchen-alerts:{uuid.uuid4().hex}"
    clock = Clock(NOW)
    feeds = [RedisAlertFeed.from_url(redis_server_url, channel=channel) for _ in range(2)]
    watching, raising = (app_of(detection, database, DetectionServices(clock=clock, alert_feed=f)) for f in feeds)
    registry = app_of(entities, database, entities.services(Wiring(clock=clock)))
    issuer = Issuer()
    async with AsyncExitStack() as stack:
        for feed in feeds:
            stack.push_async_callback(feed.close)
        issuer.url = await stack.enter_async_context(serving(issuer.app))
        detection_url = await stack.enter_async_context(serving(watching))
        entities_url = await stack.enter_async_context(serving(registry))
        supergraph = compose(
            [
                SubgraphSource("entities", f"{entities_url}/graphql", entities.schema.as_str()),
                SubgraphSource("detection", f"{detection_url}/graphql", detection.schema.as_str()),
            ]
        ).unwrap()
        settings = GatewaySettings(issuer=issuer.url, audience=AUDIENCE)
        gateway = await stack.enter_async_context(
            serving(create_app(supergraph, settings, signer=TEST_SIGNER), lifespan="on")
        )
        http = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=raising), base_url="http://detection-2.test")
        )
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=registry), base_url="http://e.test") as e:
            feed_client = machine("registry", "entities:write", "jurisdiction:city", roles=("registry_feed",))
            data_of(await post_as(e, feed_client, REGISTER, {"input": registration(1)}))

        token = issuer.token(sub="futian.inspector", roles=["inspector"], org_path="440300/440304")
        async with connect("ws" + gateway[4:] + "/graphql", subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
            await socket.send(
                orjson.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}).decode()
            )
            assert orjson.loads(await socket.recv()) == {"type": "connection_ack"}
            await socket.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": FEED}}).decode())
            async with asyncio.timeout(5):
                while watching.services.alert_feed.listening != 1:  # noqa: ASYNC110 - the feed exposes a count
                    await asyncio.sleep(0.01)
            await an_alert(Subgraph(http=http, database=database, clock=clock))  # through the other process
            async with asyncio.timeout(10):
                message: dict[str, Any] = orjson.loads(await socket.recv())
    assert message == {
        "id": "1",
        "type": "next",
        "payload": {
            "data": {
                "kitchenAlerts": {
                    "state": "CANDIDATE",
                    "category": "NO_HAT",
                    "entity": {"uscc": registration(1)["uscc"], "name": "深圳市测试餐饮有限公司1"},
                }
            }
        },
    }


async def test_the_subgraph_checks_roles_and_filters_when_a_subscription_starts(database: Database) -> None:
    """Behind the gateway's @policy, the subgraph refuses by itself a caller whose roles may not watch the feed, and
    an unknown district code, each with its code."""
    app = app_of(detection, database, DetectionServices())
    lab = officer(FUTIAN, subject="futian.lab", roles=("lab_analyst",))
    inspector = officer(FUTIAN, subject="futian.inspector", roles=("inspector",))
    async with serving(app) as url:
        for caller, query, code in (
            (lab, "subscription { kitchenAlerts { state } }", "FORBIDDEN"),
            (inspector, 'subscription { kitchenAlerts(district: "440399") { state } }', "UNKNOWN_DISTRICT"),
        ):
            ws = "ws" + url[4:] + "/graphql"
            async with connect(ws, subprotocols=["graphql-transport-ws"], additional_headers=signed(caller)) as socket:  # type: ignore[list-item]
                await socket.send('{"type":"connection_init"}')
                assert orjson.loads(await socket.recv()) == {"type": "connection_ack"}
                await socket.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}).decode())
                async with asyncio.timeout(5):
                    answer: dict[str, Any] = orjson.loads(await socket.recv())
            errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
            assert errors[0].get("extensions", {}).get("code") == code, answer
    assert app.services.alert_feed.listening == 0
