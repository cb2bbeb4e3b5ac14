"""Cut a failing operation down to a small one that still fails the same way (greedy delta debugging)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace

from graphql import GraphQLSchema, parse, validate

from tests.gateway.differential.operations import Node, Operation

StillFails = Callable[[Operation], Awaitable[bool]]


async def shrink(schema: GraphQLSchema, operation: Operation, still_fails: StillFails, budget: int = 400) -> Operation:
    """The smallest variant found within `budget` trials for which `still_fails` holds."""
    current = operation
    trials = 0
    improved = True
    while improved and trials < budget:
        improved = False
        for candidate in _candidates(current):
            if trials >= budget:
                break
            if validate(schema, parse(candidate.text())):
                continue
            trials += 1
            if await still_fails(candidate):
                current = candidate
                improved = True
                break
    return current


def _candidates(operation: Operation) -> Iterator[Operation]:
    for children in _edits(operation.children, operation):
        yield replace(operation, children=children)
    for index, (name, condition, body) in enumerate(operation.fragments):
        for edited in _edits(body, operation):
            fragments = list(operation.fragments)
            fragments[index] = (name, condition, edited)
            yield replace(operation, fragments=tuple(fragments))


def _edits(children: tuple[Node, ...], operation: Operation) -> Iterator[tuple[Node, ...]]:
    """Smaller variants of a selection set: drop, unwrap, inline, simplify, recurse."""
    for index, node in enumerate(children):
        before, after = children[:index], children[index + 1 :]
        if len(children) > 1:
            yield before + after
        if node.spread:
            body = next((b for n, _, b in operation.fragments if n == node.spread), ())
            condition = next((c for n, c, _ in operation.fragments if n == node.spread), None)
            yield (*before, Node(condition=condition, directives=node.directives, children=body), *after)
            continue
        if not node.name:
            yield before + node.children + after
        if node.name and node.children and len(node.children) > 1:
            for keep in node.children:
                yield (*before, replace(node, children=(keep,)), *after)
        if node.alias:
            yield (*before, replace(node, alias=None), *after)
        if node.directives:
            yield (*before, replace(node, directives=()), *after)
        for position in range(len(node.arguments)):
            fewer = node.arguments[:position] + node.arguments[position + 1 :]
            yield (*before, replace(node, arguments=fewer), *after)
        for inner in _edits(node.children, operation):
            yield (*before, replace(node, children=inner), *after)
