"""Single use of codes and refresh tokens under concurrency, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
import uuid

from sqlalchemy import select

from identity.grants import RETENTION_SECONDS, GrantStore, NewToken
from identity.models import AuthorizationCodeRow
from identity.passwords import fingerprint
from kernel.db import Database


async def _code(store: GrantStore, code: str, ttl: int = 60) -> None:
    await store.save_code(
        code, client_id="app", officer_id="o1", session_id="s1", redirect_uri="http://127.0.0.1:4000/cb",
        scope="openid", nonce=None, code_challenge="c" * 43, code_challenge_method="S256", auth_time=0, ttl=ttl,
    )  # fmt: skip


async def _token(store: GrantStore, refresh: str, family: str) -> NewToken:
    now = int(time.time())
    token = NewToken(
        jti=str(uuid.uuid4()), family_id=family, parent_jti=None, client_id="app", officer_id="o1", session_id="s1",
        scope="openid", auth_time=now, issued_at=now, access_expires_at=now + 300, refresh_token=refresh,
        refresh_expires_at=now + 3600,
    )  # fmt: skip
    await store.save_token(token)
    return token


async def test_concurrent_redemptions_of_one_code_yield_one_winner(any_database: Database) -> None:
    store = GrantStore(any_database)
    await _code(store, "the-code")
    claims = await asyncio.gather(*(store.claim_code("the-code", "app") for _ in range(8)))
    assert sum(c.record is not None for c in claims) == 1
    assert all(c.replayed for c in claims if c.record is None)


async def test_code_of_another_client_is_not_claimed(any_database: Database) -> None:
    store = GrantStore(any_database)
    await _code(store, "the-code")
    assert (await store.claim_code("the-code", "other")).record is None
    assert (await store.claim_code("the-code", "app")).record is not None


async def test_concurrent_refreshes_yield_one_winner_and_revoke_the_family(any_database: Database) -> None:
    store = GrantStore(any_database)
    first = await _token(store, "refresh-1", "family-1")
    claims = await asyncio.gather(*(store.claim_refresh("refresh-1", "app") for _ in range(6)))
    assert sum(c.record is not None for c in claims) == 1
    assert any(c.replayed for c in claims)
    assert all(t.revoked_at is not None for t in await store.family("family-1"))
    assert (await store.access_token(first.jti)) is not None


async def test_expired_codes_are_forgotten_after_the_retention(any_database: Database) -> None:
    store = GrantStore(any_database)
    await _code(store, "old", ttl=-RETENTION_SECONDS - 10)
    await _code(store, "recent", ttl=-10)
    await _code(store, "fresh")
    assert (await store.claim_code("old", "app")).record is None
    assert (await store.claim_code("fresh", "app")).record is not None
    await _code(store, "trigger-purge")
    async with any_database.sessions() as session:
        kept = set(await session.scalars(select(AuthorizationCodeRow.code_hash)))
    assert fingerprint("old") not in kept
    assert {fingerprint("recent"), fingerprint("fresh"), fingerprint("trigger-purge")} <= kept
    replay = await store.claim_code("fresh", "app")
    assert replay.replayed  # a used code within the retention is still recognised
