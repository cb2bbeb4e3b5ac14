"""Errors raised while planning an operation."""

from __future__ import annotations

from gateway.errors import InternalError


class PlanningError(InternalError):
    """No plan can resolve the operation with this supergraph (a composition or planner gap)."""

    code = "QUERY_PLANNING_FAILED"
