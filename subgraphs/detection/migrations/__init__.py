"""Alembic history of the detection subgraph."""
