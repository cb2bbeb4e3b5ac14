"""Plain-dict helpers of the executor: paths, representations (null keys), merging, renames."""

from __future__ import annotations

from typing import Any

from gateway.execution.merge import apply_renames, deep_merge, objects_at, representation
from gateway.planner import EntityCall, Rename, RepresentationField

CALL = EntityCall(
    typename="Permit",
    type_filter=None,
    key=(
        RepresentationField("id", "id"),
        RepresentationField("holder", "holder", (RepresentationField("uscc", "uscc"),)),
    ),
    requires=(RepresentationField("_fee_r0", "fee"),),
)


def test_objects_at_walks_lists_and_filters_by_typename() -> None:
    data: dict[str, Any] = {
        "a": [{"b": {"__typename": "X", "v": 1}}, None, {"b": {"__typename": "Y", "v": 2}}, {"b": None}],
    }
    assert [o["v"] for o in objects_at(data, ("a", "@", "b"), None)] == [1, 2]
    assert [o["v"] for o in objects_at(data, ("a", "@", "b"), ("Y",))] == [2]


def test_representation_copies_nested_keys_and_renames_aliased_requirements() -> None:
    obj = {"id": "JY1", "holder": {"uscc": "A", "name": "甲"}, "_fee_r0": None}
    assert representation(obj, CALL) == {"__typename": "Permit", "id": "JY1", "holder": {"uscc": "A"}, "fee": None}


def test_an_object_with_a_null_or_missing_key_is_not_sent() -> None:
    assert representation({"id": None, "holder": {"uscc": "A"}}, CALL) is None
    assert representation({"holder": {"uscc": "A"}}, CALL) is None


def test_deep_merge_combines_objects_and_equal_length_lists() -> None:
    target: dict[str, Any] = {"a": {"x": 1}, "l": [{"p": 1}, None], "n": None}
    deep_merge(target, {"a": {"y": 2}, "l": [{"q": 2}, {"r": 3}], "n": {"z": 0}, "m": 5})
    assert target == {"a": {"x": 1, "y": 2}, "l": [{"p": 1, "q": 2}, {"r": 3}], "n": {"z": 0}, "m": 5}


def test_renames_undo_planner_aliases_on_matching_types_only() -> None:
    result: dict[str, Any] = {"xs": [{"__typename": "A", "_id_a0": 1}, {"__typename": "B", "_id_a0": 2}]}
    apply_renames(result, (Rename(("xs",), "A", "_id_a0", "id"),))
    assert result == {"xs": [{"__typename": "A", "id": 1}, {"__typename": "B", "_id_a0": 2}]}
