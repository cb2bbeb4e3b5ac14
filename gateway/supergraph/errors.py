"""Errors raised while reading a supergraph."""

from __future__ import annotations

from gateway.errors import InternalError


class SupergraphError(InternalError):
    """The supergraph SDL is not a valid federation supergraph; the gateway refuses to start."""

    code = "INVALID_SUPERGRAPH"
