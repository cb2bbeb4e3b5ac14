"""The OpenID provider as a Starlette application: ``create_app(database, settings)``."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from identity import account, authorize, discovery, endpoints, enterprise, login, logout
from identity.context import IdentityContext
from identity.csrf import CsrfGuard
from identity.keys import cookie_secret
from identity.logredact import install as install_log_redaction
from identity.oauth_server import ZhijianAuthorizationServer
from identity.provider import Provider
from identity.settings import IdentitySettings
from identity.throttle import ClientAuthPolicy, ClientAuthThrottle, CounterStore, LoginPolicy, LoginThrottle
from kernel.db import Database
from kernel.revocation import Revocations


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def create_app(
    database: Database,
    settings: IdentitySettings,
    *,
    revocations: Revocations | None = None,
    counters: CounterStore | None = None,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The provider's routes over ``database`` (identity tables migrated) with keys from ``settings.key_dir``.

    ``revocations`` is where logouts and disabled accounts are announced (the embedded hub shares one with its
    gateway); ``counters`` hold the throttles' state. Without them: Redis when ``settings.redis_url`` is set, else
    this process's memory."""
    provider = Provider.build(database, settings, revocations=revocations, counters=counters, clock=clock)
    secret = cookie_secret(settings.key_dir, settings.cookie_secret)
    device_secret = hmac.new(secret, b"zhijian device cookies", hashlib.sha256).digest()
    login_policy = LoginPolicy(
        attempts_per_address_per_minute=settings.login_attempts_per_ip_per_minute,
        free_failures=settings.login_free_failures,
        max_delay=settings.login_max_delay,
        forget_after=settings.login_failure_memory,
    )
    context = IdentityContext(
        provider=provider,
        server=ZhijianAuthorizationServer(provider),
        csrf=CsrfGuard(secret),
        login_throttle=LoginThrottle(provider.counters, login_policy, device_secret, clock),
        client_throttle=ClientAuthThrottle(
            provider.counters, ClientAuthPolicy(settings.client_auth_failures, settings.client_auth_window), clock
        ),
    )
    install_log_redaction()
    routes = [
        Route("/.well-known/openid-configuration", discovery.openid_configuration),
        Route("/.well-known/oauth-authorization-server", discovery.openid_configuration),
        Route("/jwks.json", discovery.jwks),
        Route("/authorize", authorize.authorize, methods=["GET"]),
        Route("/consent", authorize.decide_consent, methods=["POST"]),
        Route("/login", login.show_login, methods=["GET"]),
        Route("/login", login.submit_login, methods=["POST"]),
        Route("/token", endpoints.token, methods=["POST"]),
        Route("/introspect", endpoints.introspect, methods=["POST"]),
        Route("/revoke", endpoints.revoke, methods=["POST"]),
        Route("/userinfo", endpoints.userinfo, methods=["GET", "POST"]),
        Route("/logout", logout.logout, methods=["GET", "POST"]),
        Route("/account/consents", account.consents, methods=["GET", "POST"]),
        Route("/enterprise/register", enterprise.show_register, methods=["GET"]),
        Route("/enterprise/register", enterprise.submit_register, methods=["POST"]),
        Route("/enterprise/confirmations", enterprise.confirm, methods=["POST"]),
        Route("/health", health),
    ]
    cors = Middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        allow_credentials=False,
        max_age=600,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await provider.close()

    app = Starlette(routes=routes, middleware=[cors], lifespan=lifespan)
    app.state.identity = context
    return app
