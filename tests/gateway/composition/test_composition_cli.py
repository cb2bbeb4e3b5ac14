"""`python -m gateway.composition` writes the supergraph or reports errors with their codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.composition.__main__ import main

BENCH = Path(__file__).parent / "fixtures" / "bench"


def test_cli_writes_the_supergraph(tmp_path: Path) -> None:
    out = tmp_path / "supergraph.graphql"
    names = ("accounts", "inventory", "products", "reviews")
    specs = [f"{n}=http://127.0.0.1:4200/{n}={BENCH / f'{n}.graphql'}" for n in names]

    assert main([*specs, "--out", str(out)]) == 0
    assert out.read_text() == (BENCH / "supergraph.apollo.graphql").read_text() + "\n"


def test_cli_reports_errors_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sdl = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\ntype Query { a: Int }'
    )
    (tmp_path / "a.graphql").write_text(sdl)
    (tmp_path / "b.graphql").write_text(sdl)

    code = main([f"a=http://a={tmp_path / 'a.graphql'}", f"b=http://b={tmp_path / 'b.graphql'}"])

    assert code == 1
    assert '[INVALID_FIELD_SHARING] Non-shareable field "Query.a"' in capsys.readouterr().err
