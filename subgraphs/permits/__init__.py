"""The permits subgraph: food operating and production permits, filings and registrations (DOMAIN.md §3)."""
