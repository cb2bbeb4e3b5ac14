"""Two-character name search on PostgreSQL: a GIN index over each name's character bigrams.

Trigram indexes (pg_trgm, FTS5) cannot serve a two-character needle, and two-character brand names are
common in Chinese (湘川, 华为). SQLite keeps scanning for those: it is the small, embedded default.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NAME_BIGRAMS = """
CREATE FUNCTION entities.name_bigrams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT coalesce(array_agg(DISTINCT lower(substr(name, i, 2))), '{}')
  FROM generate_series(1, char_length(name) - 1) AS i
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(NAME_BIGRAMS)
    op.execute(
        "CREATE INDEX ix_market_entity_name_bigrams ON entities.market_entity USING gin (entities.name_bigrams(name))"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP INDEX entities.ix_market_entity_name_bigrams")
    op.execute("DROP FUNCTION entities.name_bigrams(text)")
