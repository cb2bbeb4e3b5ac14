"""`GatewaySettings.from_env` reads `ZHIJIAN_GATEWAY_*` and rejects unusable values."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.operation import DocumentLimits
from gateway.settings import GatewaySettings
from kernel.settings import SettingsError


def test_defaults_without_environment() -> None:
    settings = GatewaySettings.from_env({})
    assert settings == GatewaySettings()
    assert settings.port == 4000
    assert settings.forward_headers == ()


def test_reads_every_variable() -> None:
    settings = GatewaySettings.from_env(
        {
            "ZHIJIAN_GATEWAY_HOST": "0.0.0.0",
            "ZHIJIAN_GATEWAY_PORT": "4100",
            "ZHIJIAN_GATEWAY_WORKERS": "2",
            "ZHIJIAN_GATEWAY_SUPERGRAPH": "schema/supergraph.graphql",
            "ZHIJIAN_GATEWAY_GRAPHQL_PATH": "/api",
            "ZHIJIAN_GATEWAY_SUBGRAPH_TIMEOUT": "2.5",
            "ZHIJIAN_GATEWAY_SUBGRAPH_TIMEOUTS": "detection=10, permits=1",
            "ZHIJIAN_GATEWAY_MAX_CONNECTIONS": "16",
            "ZHIJIAN_GATEWAY_PLAN_CACHE_SIZE": "50",
            "ZHIJIAN_GATEWAY_INTROSPECTION": "false",
            "ZHIJIAN_GATEWAY_GRAPHIQL": "off",
            "ZHIJIAN_GATEWAY_FORWARD_HEADERS": "Authorization, X-Request-Id",
            "ZHIJIAN_GATEWAY_MAX_REQUEST_BYTES": "1000",
        }
    )
    assert settings.host == "0.0.0.0"
    assert settings.port == 4100
    assert settings.workers == 2
    assert settings.supergraph_path == "schema/supergraph.graphql"
    assert settings.graphql_path == "/api"
    assert settings.subgraph_timeout_s == 2.5
    assert dict(settings.subgraph_timeouts) == {"detection": 10.0, "permits": 1.0}
    assert settings.max_connections_per_subgraph == 16
    assert settings.plan_cache_size == 50
    assert settings.introspection is False
    assert settings.graphiql is False
    assert settings.forward_headers == ("authorization", "x-request-id")
    assert settings.max_request_bytes == 1000


@pytest.mark.parametrize(
    ("name", "value"),
    [("PORT", "http"), ("SUBGRAPH_TIMEOUT", "soon"), ("INTROSPECTION", "maybe"), ("SUBGRAPH_TIMEOUTS", "permits")],
)
def test_rejects_unusable_values_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"ZHIJIAN_GATEWAY_{name}"):
        GatewaySettings.from_env({f"ZHIJIAN_GATEWAY_{name}": value})


def test_limits_and_persisted_operations_are_read_from_the_environment() -> None:
    settings = GatewaySettings.from_env(
        {
            "ZHIJIAN_GATEWAY_MAX_DEPTH": "8",
            "ZHIJIAN_GATEWAY_MAX_COST": "900",
            "ZHIJIAN_GATEWAY_VALIDATION_BUDGET": "0.05",
            "ZHIJIAN_GATEWAY_REQUEST_TIMEOUT": "12",
            "ZHIJIAN_GATEWAY_DOCUMENT_CACHE_BYTES": "1000",
            "ZHIJIAN_GATEWAY_PUBLIC_INTROSPECTION": "true",
            "ZHIJIAN_GATEWAY_TRUSTED_DOCUMENTS": "/etc/zhijian/persisted-documents.json",
            "ZHIJIAN_GATEWAY_TRUSTED_DOCUMENTS_ONLY": "true",
            "ZHIJIAN_GATEWAY_FREE_CLIENTS": "zhijian-GraphiQL, other",
            "ZHIJIAN_GATEWAY_APQ": "false",
        }
    )
    assert (settings.limits.max_depth, settings.limits.max_cost, settings.limits.validation_budget_s) == (8, 900, 0.05)
    assert settings.limits.max_tokens == DocumentLimits().max_tokens
    assert (settings.request_timeout_s, settings.document_cache_bytes) == (12, 1000)
    assert settings.public_introspection
    assert settings.trusted_documents == Path("/etc/zhijian/persisted-documents.json")
    assert settings.trusted_documents_only and not settings.apq
    assert settings.free_clients == ("zhijian-GraphiQL", "other")
    with pytest.raises(SettingsError):
        GatewaySettings.from_env({"ZHIJIAN_GATEWAY_MAX_FIELDS": "0"})
