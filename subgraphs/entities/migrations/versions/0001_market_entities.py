"""Market entities, credit listings, person restrictions and registration holds; name search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "entities"
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# SQLite: an FTS5 trigram table shadows market_entity.name so that LIKE '%…%' uses an index, as pg_trgm does;
# it is keyed by uscc, not rowid, because VACUUM may renumber the rowids of a table with a text primary key.
SQLITE_NAME_SEARCH = (
    "CREATE VIRTUAL TABLE market_entity_name_fts USING fts5(name, uscc UNINDEXED, tokenize='trigram')",
    "CREATE TRIGGER market_entity_name_ai AFTER INSERT ON market_entity BEGIN "
    "INSERT INTO market_entity_name_fts(name, uscc) VALUES (new.name, new.uscc); END",
    "CREATE TRIGGER market_entity_name_ad AFTER DELETE ON market_entity BEGIN "
    "DELETE FROM market_entity_name_fts WHERE uscc = old.uscc; END",
    "CREATE TRIGGER market_entity_name_au AFTER UPDATE OF name ON market_entity BEGIN "
    "UPDATE market_entity_name_fts SET name = new.name WHERE uscc = old.uscc; END",
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "market_entity",
        sa.Column("uscc", sa.String(18), primary_key=True),
        sa.Column("legacy_reg_no", sa.String(15)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("entity_type", sa.String(40), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("suspended_until", sa.Date()),
        sa.Column("established_on", sa.Date(), nullable=False),
        sa.Column("legal_rep_name", sa.String(100), nullable=False),
        sa.Column("legal_rep_id_number", sa.String(18), nullable=False),
        sa.Column("legal_rep_phone", sa.String(20), nullable=False),
        sa.Column("domicile", sa.String(300), nullable=False),
        sa.Column("premises", sa.String(300), nullable=False),
        sa.Column("district_code", sa.String(9), nullable=False),
        sa.Column("station_code", sa.String(9)),
        sa.Column("business_scope", sa.Text(), nullable=False),
        sa.Column("held_for_review", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.CheckConstraint(
            "(status = 'SUSPENDED') = (suspended_until IS NOT NULL)", name="ck_market_entity_suspension"
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_market_entity_district", "market_entity", ["district_code", "uscc"], schema=SCHEMA)
    op.create_index("ix_market_entity_station", "market_entity", ["station_code", "uscc"], schema=SCHEMA)
    op.create_index("ix_market_entity_status", "market_entity", ["status", "uscc"], schema=SCHEMA)
    op.create_index("ix_market_entity_legal_rep", "market_entity", ["legal_rep_id_number"], schema=SCHEMA)
    if sqlite:
        for statement in SQLITE_NAME_SEARCH:
            op.execute(statement)
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_market_entity_name_trgm",
            "market_entity",
            ["name"],
            schema=SCHEMA,
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        )

    op.create_table(
        "credit_listing",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("list_type", sa.String(20), nullable=False),
        sa.Column("reason_code", sa.String(40), nullable=False),
        sa.Column("basis", sa.String(200), nullable=False),
        sa.Column("decision_org", sa.String(9), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("earliest_removal_on", sa.Date()),
        sa.Column("auto_expiry_on", sa.Date()),
        sa.Column("removed_on", sa.Date()),
        sa.Column("removal_reason", sa.String(40)),
        sa.CheckConstraint("removed_on IS NULL OR removed_on >= listed_on", name="ck_credit_listing_removal"),
        schema=SCHEMA,
    )
    op.create_index("ix_credit_listing_uscc", "credit_listing", ["uscc", "list_type"], schema=SCHEMA)

    op.create_table(
        "person_restriction",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("person_id_number", sa.String(18), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("source_uscc", sa.String(18), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_person_restriction_person", "person_restriction", ["person_id_number"], schema=SCHEMA)

    op.create_table(
        "registration_hold",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column(
            "uscc", sa.String(18), sa.ForeignKey(f"{SCHEMA}.market_entity.uscc", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("reason_code", sa.String(40), nullable=False),
        sa.Column("detail", sa.String(400), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_registration_hold_uscc", "registration_hold", ["uscc"], schema=SCHEMA)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_table("registration_hold", schema=SCHEMA)
    op.drop_table("person_restriction", schema=SCHEMA)
    op.drop_table("credit_listing", schema=SCHEMA)
    if sqlite:
        op.execute("DROP TABLE market_entity_name_fts")
    op.drop_table("market_entity", schema=SCHEMA)
