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
from kernel.roles import Population


async def _code(store: GrantStore, code: str, ttl: int = 60) -> None:
    await store.save_code(
        code, client_id="app", officer_id="o1", population=Population.OFFICER, session_id="s1",
        redirect_uri="http://127.0.0.1:4000/cb",
        scope="openid", nonce=None, code_challenge="c" * 43, code_challenge_method="S256", auth_time=0, ttl=ttl,
    )  # fmt: skip


async def _token(store: GrantStore, refresh: str, family: str) -> NewToken:
    now = int(time.time())
    token = NewToken(
        jti=str(uuid.uuid4()), family_id=family, parent_jti=None, client_id="app", officer_id="o1",
        population=Population.OFFICER, session_id="s1",
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


async def test_two_tabs_refreshing_at_once_within_the_grace_both_get_tokens(any_database: Database) -> None:
    now = [time.time()]
    store = GrantStore(any_database, clock=lambda: now[0])
    await _token(store, "refresh-1", "family-1")
    claims = await asyncio.gather(*(store.claim_refresh("refresh-1", "app", grace=10) for _ in range(2)))
    assert all(c.record is not None for c in claims) and not any(c.replayed for c in claims)
    assert sorted(c.within_grace for c in claims) == [False, True]
    assert all(t.revoked_at is None for t in await store.family("family-1"))


async def test_reuse_after_the_grace_still_revokes_the_family(any_database: Database) -> None:
    now = [time.time()]
    store = GrantStore(any_database, clock=lambda: now[0])
    await _token(store, "refresh-1", "family-1")
    assert (await store.claim_refresh("refresh-1", "app", grace=10)).record is not None
    now[0] += 11
    late = await store.claim_refresh("refresh-1", "app", grace=10)
    assert late.record is None and late.replayed
    assert all(t.revoked_at is not None for t in await store.family("family-1"))


async def test_the_grace_is_for_the_same_client_only(any_database: Database) -> None:
    store = GrantStore(any_database)
    await _token(store, "refresh-1", "family-1")
    assert (await store.claim_refresh("refresh-1", "app", grace=10)).record is not None
    assert (await store.claim_refresh("refresh-1", "another-app", grace=10)).record is None


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
