"""Described fields and guarded root fields, typed for ``mypy --strict``.

Every root field goes through :func:`query`, :func:`mutation` or :func:`subscription`, which attach a guard: a
mutation names its action (``kernel.roles``) and needs a signed-in caller whose roles allow it, with the
component's write scope; when it names an existing record (:class:`Target`) the record must lie in the caller's
writable jurisdiction (``FORBIDDEN`` otherwise). Reads need no check of their own: the request session only reads
the caller's rows. The same rules are declared to the gateway (``@requiresScopes`` with the write scope,
``@policy`` with the roles), which refuses the field before planning. ``test_jurisdiction_walk`` fails for a root
field without the guard, ``test_roles`` for a mutation whose callers differ from ``schema/roles.md``. The guard
is also where every text argument is checked, in inputs and lists at any depth (:func:`kernel.text.clean_text`:
``INVALID_TEXT``, NFC). A subscription names the action of watching its feed; the roles are checked when it starts
(:class:`SubscriptionGuard`), and each event is read in the caller's jurisdiction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar, cast

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.federation.schema_directives import Authenticated, Policy, RequiresScopes

from kernel.errors import ForbiddenError, InternalError
from kernel.roles import Grant, default_role_table
from kernel.text import clean_text
from subgraphs.common.jurisdiction import UNSCOPED, Jurisdiction, Place, Supervised, granted_to, location_of

ResolverT = TypeVar("ResolverT", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Target:
    """The existing record a mutation changes: its model and how to read its key from the arguments."""

    model: type[Supervised]
    key: Callable[[Mapping[str, Any]], Any]


class JurisdictionGuard(FieldExtension):
    """Runs before a root field's resolver; see the module docstring."""

    def __init__(self, *, writes: bool, target: Target | None = None, grant: Grant | None = None) -> None:
        super().__init__()
        self.writes = writes
        self.target = target
        self.grant = grant
        self._location = None if target is None else location_of(target.model)

    def resolve(self, next_: Callable[..., Any], source: Any, info: strawberry.Info, **kwargs: Any) -> Any:
        if self.writes:
            raise InternalError("a guarded mutation must be async: its target is checked in the database")
        return next_(source, info, **{name: cleaned(value, _camel(name)) for name, value in kwargs.items()})

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Any:
        arguments = {name: cleaned(value, _camel(name)) for name, value in kwargs.items()}
        if self.writes:
            await self._check_write(info, arguments)
        return await next_(source, info, **arguments)

    async def _check_write(self, info: strawberry.Info, arguments: Mapping[str, Any]) -> None:
        jurisdiction: Jurisdiction = info.context.jurisdiction
        if self.grant is not None:
            jurisdiction.require_action(self.grant.action)
        if jurisdiction.caller is None or jurisdiction.writes.nowhere:
            raise ForbiddenError(
                "you may not change records here: sign in as an officer of this jurisdiction, or use a client "
                f"holding {jurisdiction.write_scope}"
            )
        if self.target is None or self._location is None:
            return  # a new record: where it is placed is checked when it is written
        statement = self._location(self.target.key(arguments))
        place = (await info.context.session.execute(statement, execution_options={UNSCOPED: True})).first()
        if place is None:  # an unknown record is the resolver's NOT_FOUND
            return
        if not jurisdiction.writes.admits(Place(*place)):
            key = self.target.key(arguments)
            if not await granted_to(info.context.session, self.target.model, key, jurisdiction):
                jurisdiction.require_write(Place(*place))


class SubscriptionGuard(JurisdictionGuard):
    """A root subscription's guard: when it starts, the caller's roles must allow ``grant``'s action (``FORBIDDEN``
    otherwise, before any event) and its text arguments are checked; the event stream is returned, not awaited."""

    def __init__(self, *, grant: Grant) -> None:
        super().__init__(writes=False, grant=grant)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Any:
        arguments = {name: cleaned(value, _camel(name)) for name, value in kwargs.items()}
        jurisdiction: Jurisdiction = info.context.jurisdiction
        if self.grant is not None:
            jurisdiction.require_action(self.grant.action)
        return next_(source, info, **arguments)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def cleaned(value: Any, path: str) -> Any:
    """An argument with every text in it checked and normalised (strings in input objects and lists included)."""
    if isinstance(value, str) and not isinstance(value, Enum):
        return clean_text(value, field=path)
    if isinstance(value, list):
        return [cleaned(item, f"{path}[{index}]") for index, item in enumerate(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            setattr(value, item.name, cleaned(getattr(value, item.name), f"{path}.{_camel(item.name)}"))
    return value


def field(description: str) -> Callable[[ResolverT], ResolverT]:
    """A described field resolver of an object type (its rows come through the scoped session)."""
    return cast("Callable[[ResolverT], ResolverT]", strawberry.field(description=description))


def query(description: str) -> Callable[[ResolverT], ResolverT]:
    """A root query field: ``@authenticated`` at the gateway, guarded here."""
    return cast(
        "Callable[[ResolverT], ResolverT]",
        strawberry.field(
            description=description,
            directives=[Authenticated()],
            extensions=[JurisdictionGuard(writes=False)],
        ),
    )


def role_policy(grant: Grant) -> Policy:
    """``@policy`` for the gateway: any one of the roles the grant lists."""
    return Policy(policies=[[f"role:{role}"] for role in sorted(grant.roles)])


def mutation(description: str, *, action: str, target: Target | None = None) -> Callable[[ResolverT], ResolverT]:
    """A root mutation taking ``action`` of the role table: at the gateway ``@requiresScopes`` (the component's
    write scope) and ``@policy`` (one of the roles the table lists); here the same roles (and org levels), the
    write scope, and ``target``'s record in the caller's writable jurisdiction. Without a target the mutation
    creates records, whose placement the session checks when they are written. An action the table does not
    know fails at import."""
    grant = default_role_table().grant(action)
    return cast(
        "Callable[[ResolverT], ResolverT]",
        strawberry.mutation(
            description=description,
            directives=[
                Authenticated(),
                RequiresScopes(scopes=[[grant.write_scope]]),
                role_policy(grant),
            ],
            extensions=[JurisdictionGuard(writes=True, target=target, grant=grant)],
        ),
    )


def subscription(description: str, *, action: str) -> Callable[[ResolverT], ResolverT]:
    """A root subscription (an async generator) watching what ``action`` of the role table names: ``@authenticated``
    and ``@policy`` (its roles) at the gateway, the same roles here when it starts (:class:`SubscriptionGuard`). Its
    events are the caller's to see: read each one in a session of the caller's jurisdiction."""
    grant = default_role_table().grant(action)
    return cast(
        "Callable[[ResolverT], ResolverT]",
        strawberry.subscription(
            description=description,
            directives=[Authenticated(), role_policy(grant)],
            extensions=[SubscriptionGuard(grant=grant)],
        ),
    )
