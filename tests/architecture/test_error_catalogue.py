"""One error catalogue per subgraph: every code a subgraph can raise is a member of a catalogue it may use, and
``schema/error-codes.md`` (what front-end teams rely on) is exactly what the catalogues say."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from hub.components import SUBGRAPHS
from hub.supergraph import SHARED_CODES, error_codes_markdown

ROOT = Path(__file__).resolve().parents[2]
SHARED = {catalogue.__name__ for catalogue in SHARED_CODES}


def raised_codes(folder: Path) -> list[tuple[str, str]]:
    """``(file:line, code expression)`` for every ``raise …(code=…)`` and every class's ``code = …``."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values: list[ast.expr] = []
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                values += [keyword.value for keyword in node.exc.keywords if keyword.arg == "code"]
            if isinstance(node, ast.ClassDef):  # an error class's own code
                for statement in node.body:
                    if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
                        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                        if any(isinstance(t, ast.Name) and t.id == "code" for t in targets):
                            values.append(statement.value)
            found += [(f"{path.relative_to(ROOT)}:{value.lineno}", ast.unparse(value)) for value in values]
    return found


def test_the_published_catalogue_is_the_code() -> None:
    assert (ROOT / "schema" / "error-codes.md").read_text(encoding="utf-8") == error_codes_markdown(), (
        "schema/error-codes.md is stale: run `zhijian schema export`"
    )


@pytest.mark.parametrize("component", SUBGRAPHS, ids=lambda component: component.name)
def test_every_raised_code_is_in_a_catalogue_the_subgraph_may_use(component: object) -> None:
    name, catalogue = component.name, component.codes  # type: ignore[attr-defined]
    allowed = SHARED | {catalogue.__name__}
    found = raised_codes(ROOT / "subgraphs" / name) + raised_codes(ROOT / "subgraphs" / "common")
    assert found, "the scan found no codes at all"
    for where, expression in found:
        owner, _, member = expression.partition(".")
        if owner == "code" or expression in ("code", "None"):  # passing a code through, or no override
            continue
        assert owner in allowed, f"{where}: {expression} is not from {sorted(allowed)} (a string or a foreign code)"
        known = {code.name for code in (catalogue, *SHARED_CODES) if code.__name__ == owner for code in code}
        assert member in known, f"{where}: {expression} is not a member of {owner}"


def test_every_code_is_described() -> None:
    for catalogue in (*SHARED_CODES, *(component.codes for component in SUBGRAPHS)):
        for code in catalogue:
            assert code.description.strip(), f"{catalogue.__name__}.{code.name} has no description"
