"""Alembic history of the enforcement subgraph."""
