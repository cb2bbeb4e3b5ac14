"""The names other packages (the hub, identity) rely on stay importable with these shapes."""

from __future__ import annotations

import inspect

import pytest

import gateway.execution
import gateway.http
import gateway.planner
import gateway.supergraph
from gateway.errors import ClientError, GatewayError, InternalError, UpstreamError
from gateway.execution import SubgraphUnavailable
from gateway.http.app import create_app
from gateway.operation import ValidationFailed
from gateway.planner import PlanningError
from gateway.settings import GatewaySettings
from gateway.supergraph import SupergraphError


def test_create_app_signature_for_the_hub() -> None:
    parameters = list(inspect.signature(create_app).parameters)
    assert parameters == [
        "supergraph_sdl",
        "settings",
        "transports",
        "validator",
        "signer",
        "policy",
        "rate_limiter",
        "tracer",
    ]
    keyword_only = [p.name for p in inspect.signature(create_app).parameters.values() if p.kind is p.KEYWORD_ONLY]
    assert keyword_only == ["validator", "signer", "policy", "rate_limiter", "tracer"]


def test_stage_packages_declare_their_exports() -> None:
    for module in (gateway.supergraph, gateway.planner, gateway.execution, gateway.http):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"
    assert {"SubgraphClient", "HttpSubgraphClient", "AsgiSubgraphClient", "Gateway"} <= set(gateway.execution.__all__)


def test_error_tree_separates_client_upstream_and_internal_errors() -> None:
    assert issubclass(ValidationFailed, ClientError)
    assert issubclass(SubgraphUnavailable, UpstreamError)
    assert issubclass(SupergraphError, InternalError) and issubclass(PlanningError, InternalError)
    codes = {cls.code for cls in (ValidationFailed, SubgraphUnavailable, SupergraphError, PlanningError, GatewayError)}
    assert len(codes) == 5


def test_settings_are_frozen() -> None:
    settings = GatewaySettings.from_env({"ZHIJIAN_GATEWAY_SUBGRAPH_TIMEOUTS": "permits=1"})
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.subgraph_timeouts["permits"] = 2  # type: ignore[index]
