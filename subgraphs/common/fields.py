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


def signed_in_only(*types: type) -> None:
    """Mark every field of these root types ``@authenticated`` (specs.apollo.dev/authenticated/v0.1).

    The gateway then refuses anonymous callers before fetching; the subgraph's signature check stays.
    """
    from strawberry.federation.schema_directives import Authenticated

    for cls in types:
        for definition in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            definition.directives = [*definition.directives, Authenticated()]
