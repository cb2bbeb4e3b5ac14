"""Random operations over every scenario federation: the gateway answers what the monolith answers.

Seeded, so a failure reproduces; each seed builds queries with random field subsets, aliases,
fragments on abstract types and nesting up to four levels.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from graphql import (
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)

from gateway.execution import Gateway
from tests.gateway.scenarios import FEDERATIONS

ARGUMENTS: dict[tuple[str, str], list[dict[str, str]]] = {
    ("Query", "entity"): [{"uscc": '"91440300A"'}, {"uscc": '"91440300C"'}, {"uscc": '"none"'}],
    ("Query", "permit"): [{"id": '"JY1"'}, {"id": '"SC1"'}],
    ("Query", "entities"): [{}, {"district": '"440304"'}],
    ("MarketEntity", "permits"): [{}, {"kind": "FOOD_OPERATION"}],
    ("Product", "price"): [{"currency": '"CNY"'}, {"currency": '"USD"'}],
}
SCENARIOS = [
    "market",
    "keys",
    "requires",
    "provides",
    "abstract",
    "interface_object",
    "override",
    "parent_entity",
    "circular",
]
QUERIES_PER_SCENARIO = 12


def random_selection(schema: GraphQLSchema, named: GraphQLNamedType, depth: int, rng: random.Random) -> str:
    """A random selection set body for `named`."""
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        parts = [random_fields(schema, named, depth, rng)] if isinstance(named, GraphQLInterfaceType) else []
        if rng.random() < 0.5:
            parts.append("__typename")
        for possible in schema.get_possible_types(named):
            if rng.random() < 0.7:
                parts.append(f"... on {possible.name} {{ {random_fields(schema, possible, depth, rng)} }}")
        return " ".join(p for p in parts if p) or "__typename"
    assert isinstance(named, GraphQLObjectType)
    return random_fields(schema, named, depth, rng)


def random_fields(
    schema: GraphQLSchema, owner: GraphQLObjectType | GraphQLInterfaceType, depth: int, rng: random.Random
) -> str:
    """Some of `owner`'s fields, sometimes aliased, with known-good arguments."""
    names = list(owner.fields)
    rng.shuffle(names)
    out: list[str] = []
    for name in names[: rng.randint(1, len(names))]:
        definition = owner.fields[name]
        required = [a for a, d in definition.args.items() if isinstance(d.type, GraphQLNonNull)]
        choices = ARGUMENTS.get((owner.name, name))
        if required and not choices:
            continue
        arguments: dict[str, Any] = rng.choice(choices) if choices else {}
        text = "(" + ", ".join(f"{k}: {v}" for k, v in arguments.items()) + ")" if arguments else ""
        alias = f"a{rng.randint(0, 99)}: " if rng.random() < 0.2 else ""
        inner = get_named_type(definition.type)
        if is_leaf_type(inner):
            out.append(f"{alias}{name}{text}")
        elif depth < 4:
            out.append(f"{alias}{name}{text} {{ {random_selection(schema, inner, depth + 1, rng)} }}")
    return " ".join(out) or "__typename"


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_random_operations_match_the_monolith(scenario: str) -> None:
    rng = random.Random(f"zhijian-{scenario}")
    reference = FEDERATIONS[scenario]()
    for _ in range(QUERIES_PER_SCENARIO):
        federation = FEDERATIONS[scenario]()  # fresh world and request logs per query
        gateway = Gateway(federation.supergraph_sdl, federation.transports())
        api = gateway.api_schema
        assert api.query_type is not None
        query = "{ " + random_fields(api, api.query_type, 0, rng) + " }"
        expected = await reference.reference(query)
        if any("conflict" in e["message"] for e in expected.get("errors", ())):
            continue  # the random query itself is invalid (same alias, different fields)
        answer = await gateway.execute(query)
        if "errors" in expected:
            assert answer.get("errors"), query
            assert answer["data"] == expected["data"], query
        else:
            assert answer == expected, query
