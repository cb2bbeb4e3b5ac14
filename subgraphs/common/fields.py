"""Typed forms of ``strawberry.field(description=…)`` and ``strawberry.mutation(description=…)`` for ``mypy --strict``.

Strawberry types the decorator-with-arguments form as ``Any``; these keep the resolver's signature visible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

ResolverT = TypeVar("ResolverT", bound=Callable[..., Any])


def field(description: str) -> Callable[[ResolverT], ResolverT]:
    """A described GraphQL field resolver."""
    return cast("Callable[[ResolverT], ResolverT]", strawberry.field(description=description))


def mutation(description: str) -> Callable[[ResolverT], ResolverT]:
    """A described GraphQL mutation resolver."""
    return cast("Callable[[ResolverT], ResolverT]", strawberry.mutation(description=description))
