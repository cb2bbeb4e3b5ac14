"""Alembic history of the permits subgraph."""
