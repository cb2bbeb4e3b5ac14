"""Type references (`[User!]!`) as printed strings: unwrapping and the subtyping rules of field merging."""

from __future__ import annotations

from collections.abc import Callable


def named_type(ref: str) -> str:
    """The named type inside a reference: `[User!]!` -> `User`."""
    return ref.replace("[", "").replace("]", "").replace("!", "")


def is_non_null(ref: str) -> bool:
    """Whether the outermost wrapper is non-null."""
    return ref.endswith("!")


def is_list(ref: str) -> bool:
    """Whether the reference is a list once non-null is stripped."""
    return ref.removesuffix("!").startswith("[")


def is_required(ref: str, default: str | None) -> bool:
    """Whether an argument or input field must be given: non-null and without a default (GraphQL spec,
    "Required Arguments" and "Input Object Required Fields")."""
    return is_non_null(ref) and default is None


def _unwrap_list(ref: str) -> str:
    return ref.removesuffix("!")[1:-1]


def is_strict_subtype(base: str, candidate: str, is_named_subtype: Callable[[str, str], bool]) -> bool:
    """Whether `candidate` is a strict subtype of `base` (non-null of nullable, list covariance, member of union,
    implementation of interface) — the rules Apollo allows when merging output field types."""
    if base == candidate:
        return False
    return _subtype(base, candidate, is_named_subtype)


def _subtype(base: str, candidate: str, is_named_subtype: Callable[[str, str], bool]) -> bool:
    if base == candidate:
        return True
    if is_non_null(candidate) and not is_non_null(base):
        return _subtype(base, candidate[:-1], is_named_subtype)
    if is_non_null(base):
        return is_non_null(candidate) and _subtype(base[:-1], candidate[:-1], is_named_subtype)
    if is_list(base) or is_list(candidate):
        return (
            is_list(base)
            and is_list(candidate)
            and _subtype(_unwrap_list(base), _unwrap_list(candidate), is_named_subtype)
        )
    return is_named_subtype(base, candidate)
