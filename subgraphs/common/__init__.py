"""Shared pieces of every subgraph: database, migrations, errors, pagination, calendar, rules."""
