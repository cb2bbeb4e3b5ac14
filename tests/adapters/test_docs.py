"""docs/adapters.md is what a legacy party's DBA and developers build against: its DDL and its codes follow the code."""

from __future__ import annotations

from pathlib import Path

from adapters.exchange.mapping import REASONS
from adapters.exchange.tables import listings, watermarks
from adapters.files.mapping import COLUMNS
from adapters.registry.mapping import ENTITY_TYPES, KINDS

DOC = (Path(__file__).parents[2] / "docs" / "adapters.md").read_text(encoding="utf-8")


def test_the_exchange_ddl_names_every_column_and_index() -> None:
    for table in (listings, watermarks):
        assert f"CREATE TABLE {table.schema}.{table.name} (" in DOC
        for column in table.columns:
            assert f"\n    {column.name} " in DOC, f"{table.name}.{column.name} is not in the documented DDL"
        for index in table.indexes:
            assert f"CREATE INDEX {index.name} ON {table.schema}.{table.name} " in DOC


def test_the_codes_and_the_ledger_template_are_the_adapters_own() -> None:
    assert all(f"`{kind}`" in DOC for kind in KINDS)
    assert all(f"`{code}`" in DOC for code in ENTITY_TYPES)
    assert all(code in DOC for code in REASONS)
    assert all(f"`{header}`" in DOC for header in COLUMNS.values())
