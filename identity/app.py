"""The OpenID provider as a Starlette application: ``create_app(database, settings)``."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from identity import authorize, discovery, endpoints, login, logout
from identity.context import IdentityContext
from identity.csrf import CsrfGuard
from identity.keys import cookie_secret
from identity.logredact import install as install_log_redaction
from identity.oauth_server import ZhijianAuthorizationServer
from identity.provider import Provider
from identity.settings import IdentitySettings
from identity.throttle import LoginThrottle
from kernel.db import Database


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def create_app(database: Database, settings: IdentitySettings) -> Starlette:
    """The provider's routes over ``database`` (identity tables migrated) with keys from ``settings.key_dir``."""
    provider = Provider.build(database, settings)
    context = IdentityContext(
        provider=provider,
        server=ZhijianAuthorizationServer(provider),
        csrf=CsrfGuard(cookie_secret(settings.key_dir, settings.cookie_secret)),
        throttle=LoginThrottle(settings.login_attempts_per_ip_per_minute),
    )
    install_log_redaction()
    routes = [
        Route("/.well-known/openid-configuration", discovery.openid_configuration),
        Route("/.well-known/oauth-authorization-server", discovery.openid_configuration),
        Route("/jwks.json", discovery.jwks),
        Route("/authorize", authorize.authorize, methods=["GET"]),
        Route("/login", login.show_login, methods=["GET"]),
        Route("/login", login.submit_login, methods=["POST"]),
        Route("/token", endpoints.token, methods=["POST"]),
        Route("/introspect", endpoints.introspect, methods=["POST"]),
        Route("/revoke", endpoints.revoke, methods=["POST"]),
        Route("/userinfo", endpoints.userinfo, methods=["GET", "POST"]),
        Route("/logout", logout.logout, methods=["GET", "POST"]),
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
    app = Starlette(routes=routes, middleware=[cors])
    app.state.identity = context
    return app
