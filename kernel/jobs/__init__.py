"""The job layer's durable state (PostgreSQL schema ``jobs``): the transactional outbox of cross-domain events,
receipts that make at-least-once delivery apply once, and the dead letters of jobs that gave up.

Components stand on it from below: a domain function emits an event through the request's session
(:func:`kernel.jobs.events.emit`), a consumer or a job records its receipt in its effect's transaction
(:func:`kernel.jobs.receipts.first_time`). The hub's workers drain the outbox and run the jobs.
"""

from __future__ import annotations

from kernel.migrations import MigrationHistory

MIGRATIONS = MigrationHistory(schema="jobs", package="kernel.jobs")
"""Alembic history of the job layer's tables (schema ``jobs``)."""
