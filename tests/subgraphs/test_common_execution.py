"""The subgraphs' executor (``subgraphs.common.execution.LeafFieldsExecution``): plain leaf fields take a short
path, and every answer — values, nulls, errors with their paths, extensions' hooks — is what Strawberry's own
executor gives."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest
import strawberry
from graphql import FieldNode, GraphQLField, GraphQLObjectType, GraphQLResolveInfo
from graphql.pyutils import Path
from strawberry.extensions import FieldExtension, SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from subgraphs.common.execution import LeafFieldsExecution
from subgraphs.common.scalars import SCALAR_OVERRIDES


@strawberry.enum
class Status(enum.Enum):
    ACTIVE = "active"
    REVOKED = "revoked"


class Upper(FieldExtension):
    def resolve(self, next_: Callable[..., Any], source: Any, info: strawberry.Info, **kwargs: Any) -> Any:
        return str(next_(source, info, **kwargs)).upper()


@strawberry.type
class Permit:
    number: str
    status: Status
    valid_to: dt.date
    issued_at: dt.datetime
    count: int
    ratio: float
    current: bool
    note: str | None
    kind: str = strawberry.field(extensions=[Upper()])
    required: str = ""

    @strawberry.field
    def label(self) -> str:
        return f"{self.number}:{self.status.name}"


GOOD = Permit(number="JY1", status=Status.ACTIVE, valid_to=dt.date(2030, 1, 2),
              issued_at=dt.datetime(2025, 5, 1, 8, 30, tzinfo=dt.UTC), count=3, ratio=0.5, current=True, note=None,
              kind="jy", required="yes")  # fmt: skip
BAD = Permit(number="JY2", status=Status.REVOKED, valid_to=dt.date(2030, 1, 2),
             issued_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC), count=2**40, ratio=1.0, current=False, note="n",
             kind="jy")  # fmt: skip
BAD.status = "not an enum member"  # type: ignore[assignment]
BAD.required = None  # type: ignore[assignment]


@strawberry.type
class Query:
    @strawberry.field
    def permits(self) -> list[Permit | None]:
        return [GOOD, BAD]

    @strawberry.field
    def good(self) -> Permit:
        return GOOD


ALL = "{ permits { __typename number status validTo issuedAt count ratio current note kind required label } }"
QUERIES = [
    ALL,
    "{ good { number status validTo issuedAt count ratio current note kind required label __typename } }",
    "{ permits { number count } }",
    "{ permits { number status } }",
    "{ permits { required } good { required } }",
    "{ good { n: number s: status n2: number @include(if: false) } __typename }",
]


def schema(execution: type[StrawberryGraphQLCoreExecutionContext] | None, *extensions: Any) -> strawberry.Schema:
    return strawberry.Schema(query=Query, scalar_overrides=SCALAR_OVERRIDES,  # type: ignore[arg-type]
                             execution_context_class=execution, extensions=extensions)  # fmt: skip


def answer(result: Any) -> dict[str, Any]:
    errors = [(e.message, e.path, [(loc.line, loc.column) for loc in e.locations or ()]) for e in result.errors or ()]
    return {"data": result.data, "errors": sorted(errors, key=repr)}


@pytest.mark.parametrize("query", QUERIES)
async def test_every_answer_is_strawberrys_own(query: str) -> None:
    ours = answer(await schema(LeafFieldsExecution).execute(query))
    assert ours == answer(await schema(None).execute(query))


async def test_the_values_and_the_errors_are_those_of_each_field() -> None:
    result = await schema(LeafFieldsExecution).execute(ALL)
    assert result.data is not None
    good, bad = result.data["permits"]
    assert good == {"__typename": "Permit", "number": "JY1", "status": "ACTIVE", "validTo": "2030-01-02",
                    "issuedAt": "2025-05-01T08:30:00+00:00", "count": 3, "ratio": 0.5, "current": True, "note": None,
                    "kind": "JY", "required": "yes", "label": "JY1:ACTIVE"}  # fmt: skip
    assert bad is None  # a non-null field of it failed: the null reaches the nullable list item
    for field, message in (
        ("count", "Int cannot represent non 32-bit signed integer value: 1099511627776"),
        ("status", "Enum 'Status' cannot represent value: 'not an enum member'"),
        ("required", "Cannot return null for non-nullable field Permit.required."),
    ):
        failed = await schema(LeafFieldsExecution).execute(f"{{ permits {{ number {field} }} }}")
        assert failed.data == {"permits": [{"number": "JY1", field: good[field]}, None]}
        assert [(error.message, error.path) for error in failed.errors or ()] == [(message, ["permits", 1, field])]


class Counting(LeafFieldsExecution):
    built: ClassVar[list[str]] = []

    def build_resolve_info(
        self, field_def: GraphQLField, field_nodes: list[FieldNode], parent_type: GraphQLObjectType, path: Path
    ) -> GraphQLResolveInfo[Any]:
        Counting.built.append(f"{parent_type.name}.{field_nodes[0].name.value}")
        return super().build_resolve_info(field_def, field_nodes, parent_type, path)


@pytest.fixture
def built() -> Iterator[list[str]]:
    Counting.built = []
    yield Counting.built


async def test_plain_leaf_fields_take_the_short_path(built: list[str]) -> None:
    result = await schema(Counting).execute("{ good { __typename number status validTo note count kind label } }")
    assert result.data is not None
    assert built == ["Query.good", "Permit.kind", "Permit.label"], "a field with a resolver or an extension"
    built.clear()
    await schema(Counting).execute("{ permits { number count } }")
    assert built == ["Query.permits", "Permit.count"], "the count that does not coerce goes the ordinary way"


class Seen(SchemaExtension):
    fields: ClassVar[list[str]] = []

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any
    ) -> Any:
        Seen.fields.append(info.field_name)
        return _next(root, info, *args, **kwargs)


async def test_an_extension_that_wraps_resolvers_still_sees_every_field(built: list[str]) -> None:
    Seen.fields = []
    result = await schema(Counting, Seen).execute("{ good { __typename number status } }")
    assert result.data == {"good": {"__typename": "Permit", "number": "JY1", "status": "ACTIVE"}}
    assert Seen.fields == ["good", "__typename", "number", "status"]
