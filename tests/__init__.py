"""Tests mirror the packages; they use real PostgreSQL, Redis and HTTP servers."""
