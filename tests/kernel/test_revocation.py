"""The revocation list: what a revocation of a token, a session or a subject covers, and how the Redis list reaches
every process — published ones at once, earlier ones when a process starts."""

from __future__ import annotations

import asyncio
import secrets

from kernel.revocation import LocalRevocations, RedisRevocations, Revoked, TokenIds

TOKEN = TokenIds(subject="officer-1", jti="jti-1", sid="sid-1", issued_at=1000.0)


async def test_a_token_a_session_or_a_subject_revokes_what_it_names() -> None:
    now = [1000.5]
    revocations = LocalRevocations(clock=lambda: now[0])
    assert not revocations.revoked(TOKEN)
    await revocations.revoke(Revoked.TOKEN, "jti-other", ttl=300)
    assert not revocations.revoked(TOKEN)
    await revocations.revoke(Revoked.SESSION, "sid-1", ttl=300)
    assert revocations.revoked(TOKEN)
    assert not revocations.revoked(TokenIds("officer-1", "jti-2", "sid-2", 1000.0))


async def test_a_subjects_revocation_covers_tokens_issued_up_to_it_only() -> None:
    now = [1000.5]
    revocations = LocalRevocations(clock=lambda: now[0])
    await revocations.revoke(Revoked.SUBJECT, "officer-1", ttl=300)
    assert revocations.revoked(TOKEN)
    assert not revocations.revoked(TokenIds("officer-1", "jti-9", "sid-9", 1001.0))  # issued after
    assert not revocations.revoked(TokenIds("officer-2", "jti-1b", None, 1000.0))


async def test_redis_revocations_reach_other_processes_published_or_stored(redis_server_url: str) -> None:
    namespace = f"test-{secrets.token_hex(4)}:"
    provider = RedisRevocations.from_url(redis_server_url, namespace=namespace)
    await provider.revoke(Revoked.TOKEN, "before-the-gateway-started", ttl=60)
    gateway = RedisRevocations.from_url(redis_server_url, namespace=namespace)
    await gateway.start()
    try:
        assert gateway.revoked(TokenIds("s", "before-the-gateway-started", None, 0))  # loaded when it started
        await provider.revoke(Revoked.SESSION, "sid-live", ttl=60)
        for _ in range(100):  # published: seen within moments
            if gateway.revoked(TokenIds("s", None, "sid-live", 0)):
                break
            await asyncio.sleep(0.02)
        assert gateway.revoked(TokenIds("s", None, "sid-live", 0))
        other = RedisRevocations.from_url(redis_server_url, namespace="another-deployment:")
        await other.start()
        assert not other.revoked(TokenIds("s", "before-the-gateway-started", "sid-live", 0))
        await other.close()
    finally:
        await gateway.close()
        await provider.close()
