"""Task tallies for the command-centre indicators: counts of tasks per supervising unit and indicator key, kept by
the database itself on every insert, update and delete of a task (triggers), filled from the tasks there are.

Revision ID: supervision_0002
Revises: supervision_0001
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "supervision_0002"
down_revision: str | None = "supervision_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "supervision"
KEY = ("district_code", "station_code", "status", "random_inspection", "inspected", "published", "due_on", "publish_by")
OPEN = "'UNASSIGNED', 'ASSIGNED', 'IN_PROGRESS'"
NEVER = "'9999-12-31'"
"""The date in a key where the date does not count: no due date once a task is no longer open, no publication
deadline once published (a sentinel, not NULL: key columns are compared, and NULLs are distinct in keys)."""
GROUPS = "1, 2, 3, 4, 5, 6, 7, 8"


def key_of(row: str, date: str) -> str:
    """The tally key of a task row (``row.`` or ``NEW.``/``OLD.``), as SQL; ``date`` casts a date literal."""
    return ", ".join(
        (
            f"coalesce({row}district_code, '')",
            f"coalesce({row}station_code, '')",
            f"{row}status",
            f"{row}source = 'RANDOM_INSPECTION'",
            f"{row}inspected_on IS NOT NULL",
            f"{row}published_on IS NOT NULL",
            f"CASE WHEN {row}status IN ({OPEN}) THEN {row}due_on ELSE {date.format(NEVER)} END",
            f"CASE WHEN {row}published_on IS NULL AND {row}publish_by IS NOT NULL THEN {row}publish_by "
            f"ELSE {date.format(NEVER)} END",
        )
    )


def upgrade() -> None:
    op.create_table(
        "task_tally",
        sa.Column("district_code", sa.String(length=9), nullable=False),
        sa.Column("station_code", sa.String(length=9), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("random_inspection", sa.Boolean(), nullable=False),
        sa.Column("inspected", sa.Boolean(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("publish_by", sa.Date(), nullable=False),
        sa.Column("tasks", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY, name=op.f("pk_task_tally")),
        schema=SCHEMA,
    )
    columns = ", ".join(KEY)
    if op.get_bind().dialect.name == "postgresql":
        _postgresql(columns)
    else:
        _sqlite(columns)


def _postgresql(columns: str) -> None:
    """One statement-level trigger per kind of change, over its transition tables: a COPY of 50,000 tasks is one
    grouped upsert, not 50,000. The groups are upserted in key order, so two statements lock shared tallies in the
    same order."""
    tally, task = f"{SCHEMA}.task_tally", f"{SCHEMA}.inspection_task"
    key = key_of("", "DATE {}")

    def apply(rows: str, sign: str) -> str:
        return (
            f"INSERT INTO {tally} AS t ({columns}, tasks) SELECT {key}, {sign}count(*) FROM {rows} "
            f"GROUP BY {GROUPS} ORDER BY {GROUPS} "
            f"ON CONFLICT ({columns}) DO UPDATE SET tasks = t.tasks + EXCLUDED.tasks;"
        )

    op.execute(
        f"""CREATE FUNCTION {SCHEMA}.task_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN {apply("old_rows", "-")} END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN {apply("new_rows", "")} END IF;
    RETURN NULL;
END $$"""
    )
    for kind, tables in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER task_tally_{kind.lower()} AFTER {kind} ON {task} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.task_tally_apply()"
        )
    op.execute(f"INSERT INTO {tally} ({columns}, tasks) SELECT {key}, count(*) FROM {task} GROUP BY {GROUPS}")


def _sqlite(columns: str) -> None:
    """Row triggers (SQLite has no other kind), an upsert each."""

    def apply(row: str, sign: str) -> str:
        return (
            f"INSERT INTO task_tally ({columns}, tasks) VALUES ({key_of(row, '{}')}, {sign}1) "
            f"ON CONFLICT ({columns}) DO UPDATE SET tasks = tasks {sign or '+'} 1;"
        )

    for kind, body in (
        ("INSERT", apply("NEW.", "")),
        ("UPDATE", apply("OLD.", "-") + apply("NEW.", "")),
        ("DELETE", apply("OLD.", "-")),
    ):
        op.execute(f"CREATE TRIGGER task_tally_{kind.lower()} AFTER {kind} ON inspection_task BEGIN {body} END")
    op.execute(
        f"INSERT INTO task_tally ({columns}, tasks) SELECT {key_of('', '{}')}, count(*) FROM inspection_task "
        f"GROUP BY {GROUPS}"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for kind in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER task_tally_{kind} ON {SCHEMA}.inspection_task")
        op.execute(f"DROP FUNCTION {SCHEMA}.task_tally_apply()")
    else:
        for kind in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER task_tally_{kind}")
    op.drop_table("task_tally", schema=SCHEMA)
