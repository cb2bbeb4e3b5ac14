"""Authlib's authorization server wired to our stores: grants, PKCE (S256 only, always), ID tokens, endpoints.

Authlib runs in a worker thread (see :mod:`identity.starlette_oauth`); its synchronous storage hooks reach
our async stores through :func:`_wait`, which hands the coroutine back to the event loop.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar, TypeVar

import anyio.from_thread
from authlib.oauth2 import rfc6749
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import (
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    UnauthorizedClientError,
)
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from joserfc.jwk import KeySet

from identity.grants import Claim, NewToken
from identity.minting import account_claims
from identity.provider import Provider
from identity.records import AuthorizationCode, Client, IssuedToken, SignedIn
from identity.starlette_oauth import OAuthResponse
from kernel.jose import unverified_claims
from kernel.roles import Population

T = TypeVar("T")
_CONFIDENTIAL = ["client_secret_basic", "private_key_jwt"]
_ANY_CLIENT = [*_CONFIDENTIAL, "none"]


def _wait(fn: Callable[..., Coroutine[Any, Any, T]], *args: Any, **kwargs: Any) -> T:
    """Run an async store call on the event loop from Authlib's worker thread and wait for it."""
    return anyio.from_thread.run(functools.partial(fn, *args, **kwargs))


def _audit_replay(server: ZhijianAuthorizationServer, kind: str, client: Client, claim: Claim[Any]) -> None:
    """Note in the audit trail that a replayed credential just revoked its family."""
    if claim.replayed:
        _wait(server.provider.audit.record, kind, "revoked", client_id=client.client_id, family=claim.family_id)


class S256Only(CodeChallenge):  # type: ignore[misc]
    """PKCE for every client, S256 only (RFC 9700 §2.1.1); Authlib allows ``plain`` and exempts confidential clients."""

    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant: grants.BaseGrant, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send 'code_challenge' with 'code_challenge_method=S256'.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only 'code_challenge_method=S256' is accepted.")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: grants.BaseGrant, result: object) -> None:
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier'.")
        super().validate_code_verifier(grant, result)


class IdTokens:
    """Adds an ID token (OIDC Core §3.1.3.3, §12.2) to token responses whose scope includes ``openid``."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def __call__(self, grant: grants.BaseGrant) -> None:
        grant.register_hook("after_create_token_response", self.add_id_token)

    def add_id_token(self, grant: grants.BaseGrant, response: tuple[int, dict[str, Any], Any]) -> None:
        _, token, _ = response
        user = grant.request.user
        if "openid" not in str(token.get("scope", "")).split() or not isinstance(user, SignedIn):
            return
        code = grant.request.authorization_code
        token["id_token"] = self.provider.minter.id_token(
            grant.request.client,
            user.account,
            auth_time=user.auth_time,
            nonce=code.nonce if isinstance(code, AuthorizationCode) else None,
            access_token=token["access_token"],
            sid=user.session_id,
        )


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    """Authorization code (RFC 6749 §4.1); the code is claimed atomically and a replay revokes its tokens."""

    TOKEN_ENDPOINT_AUTH_METHODS = _ANY_CLIENT
    server: ZhijianAuthorizationServer

    def save_authorization_code(self, code: str, request: rfc6749.OAuth2Request) -> None:
        user: SignedIn = request.user
        data = request.payload.data
        _wait(
            self.server.provider.grants.save_code,
            code,
            client_id=request.client.client_id,
            officer_id=user.account.id,
            population=user.account.population,
            session_id=user.session_id,
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            nonce=data.get("nonce"),
            code_challenge=data["code_challenge"],
            code_challenge_method="S256",
            auth_time=user.auth_time,
            ttl=self.server.provider.settings.authorization_code_ttl,
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        claim = _wait(self.server.provider.grants.claim_code, code, client.client_id)
        _audit_replay(self.server, "authorization_code_replay", client, claim)
        return claim.record

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Nothing to do: the code was marked used when claimed, and is kept to detect replay."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> SignedIn:
        code = authorization_code
        user = _wait(self.server.provider.signed_in, code.population, code.officer_id, code.session_id, code.auth_time)
        if user is None:  # disabled since the code was issued (RFC 6749 §5.2: the grant is no longer valid)
            raise InvalidGrantError("The account this code was issued to is disabled.")
        return user


class RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    """Refresh with rotation (RFC 9700 §4.14.2): each refresh token works once; reuse revokes the family."""

    TOKEN_ENDPOINT_AUTH_METHODS = _ANY_CLIENT
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: ZhijianAuthorizationServer

    def authenticate_refresh_token(self, refresh_token: str) -> IssuedToken | None:
        client: Client = self.request.client
        requested = self.request.payload.scope
        if requested:  # check before rotating, so that a wrong scope does not burn the refresh token
            current = _wait(self.server.provider.grants.refresh_token, refresh_token)
            if current is not None and not set(requested.split()) <= set(current.scope.split()):
                raise InvalidScopeError()
        grace = self.server.provider.settings.refresh_reuse_grace
        claim = _wait(self.server.provider.grants.claim_refresh, refresh_token, client.client_id, grace=grace)
        _audit_replay(self.server, "refresh_token_reuse", client, claim)
        if claim.within_grace:
            _wait(self.server.provider.audit.record, "refresh_token_grace", "ok", client_id=client.client_id,
                  family=claim.family_id)  # fmt: skip
        return claim.record

    def authenticate_user(self, refresh_token: IssuedToken) -> SignedIn:
        token = refresh_token
        user = _wait(
            self.server.provider.signed_in, token.population, token.officer_id, token.session_id, token.auth_time
        )
        if user is None:  # disabled: the refresh token is no longer valid (RFC 6749 §5.2 invalid_grant)
            raise InvalidGrantError("The account this refresh token was issued to is disabled.")
        return user

    def revoke_old_credential(self, refresh_token: IssuedToken) -> None:
        """Nothing to do: the old refresh token was marked rotated when claimed."""


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    """Client credentials (RFC 6749 §4.4) for machine clients; scope limited to the client's registration."""

    TOKEN_ENDPOINT_AUTH_METHODS = _CONFIDENTIAL

    def validate_token_request(self) -> None:
        super().validate_token_request()
        scope = self.request.client.get_allowed_scope(self.request.payload.scope)
        if scope is None:
            raise InvalidScopeError()
        self.request.scope = scope

    def create_token_response(self) -> tuple[int, dict[str, Any], Any]:
        token = self.generate_token(scope=self.request.scope, include_refresh_token=False)
        self.save_token(token)
        return 200, token, self.TOKEN_RESPONSE_HEADER


class PrivateKeyJwt(JWTBearerClientAssertion):  # type: ignore[misc]
    """``private_key_jwt`` client authentication (RFC 7523 §2.2, OIDC Core §9), one use per ``jti``."""

    CLIENT_AUTH_METHOD = "private_key_jwt"

    def __init__(self, provider: Provider) -> None:
        super().__init__(validate_jti=True, leeway=30)
        self.provider = provider

    def get_audiences(self) -> list[str]:
        return [self.provider.settings.issuer, self.provider.settings.token_endpoint]

    def validate_jti(self, claims: dict[str, Any], jti: str) -> bool:
        return _wait(self.provider.grants.use_assertion, str(claims["sub"]), jti, int(claims["exp"]))

    def resolve_client_public_key(self, client: Client) -> KeySet:
        return KeySet.import_key_set(client.jwks or {"keys": []})  # type: ignore[arg-type]


class Introspection(IntrospectionEndpoint):  # type: ignore[misc]
    """Token introspection (RFC 7662 §2.1, §4) for clients registered as resource servers, about access tokens
    meant for them (their audience) only: any other client, or another audience's token, learns ``active: false``."""

    CLIENT_AUTH_METHODS = _CONFIDENTIAL
    server: ZhijianAuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> IssuedToken | None:
        return _wait(self.server.provider.lookup_token, token_string, token_type_hint)

    def check_permission(self, token: IssuedToken, client: Client, request: rfc6749.OAuth2Request) -> bool:
        audience = self.server.provider.settings.gateway_audience
        return client.resource_server and client.resource_audience == audience and not token.is_refresh

    def authenticate_endpoint_client(self, request: rfc6749.OAuth2Request) -> Client:
        client: Client = super().authenticate_endpoint_client(request)
        if not client.resource_server:
            raise UnauthorizedClientError("Only clients registered as resource servers may introspect tokens.")
        return client

    def introspect_token(self, token: IssuedToken) -> dict[str, Any]:
        provider = self.server.provider
        payload: dict[str, Any] = {
            "active": True,
            "scope": token.scope,
            "client_id": token.client_id,
            "sub": token.officer_id or token.client_id,
            "iat": token.issued_at,
            "exp": token.get_expires_at(),
            "iss": provider.settings.issuer,
            "jti": token.jti,
            "token_type": "refresh_token" if token.is_refresh else "Bearer",
        }
        if not token.is_refresh:
            payload["aud"] = provider.settings.gateway_audience
        if token.officer_id:
            account = _wait(provider.directory.account, token.population, token.officer_id)
            if account is None or account.disabled:
                return {"active": False}
            payload.update(username=account.username, **account_claims(account))
        return payload


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    """Token revocation (RFC 7009); revoking a refresh token revokes its whole grant."""

    CLIENT_AUTH_METHODS = _ANY_CLIENT
    server: ZhijianAuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> IssuedToken | None:
        return _wait(self.server.provider.lookup_token, token_string, token_type_hint)

    def revoke_token(self, token: IssuedToken, request: rfc6749.OAuth2Request) -> None:
        _wait(self.server.provider.revoke, token)
        _wait(
            self.server.provider.audit.record,
            "token_revoked",
            "ok",
            client_id=token.client_id,
            subject=token.officer_id,
            token_type="refresh" if token.is_refresh else "access",
        )


class ZhijianAuthorizationServer(rfc6749.AuthorizationServer):  # type: ignore[misc]
    """The authorization server; every method here runs in a worker thread."""

    def __init__(self, provider: Provider) -> None:
        super().__init__()
        self.provider = provider
        self.register_token_generator("default", provider.minter)
        self.register_client_auth_method("private_key_jwt", PrivateKeyJwt(provider))
        id_tokens = IdTokens(provider)
        self.register_grant(AuthorizationCodeGrant, [S256Only(required=True), id_tokens])
        self.register_grant(RefreshTokenGrant, [id_tokens])
        self.register_grant(ClientCredentialsGrant)
        self.register_endpoint(Introspection)
        self.register_endpoint(Revocation)

    def query_client(self, client_id: str) -> Client | None:
        return _wait(self.provider.directory.client, client_id)

    def save_token(self, token: dict[str, Any], request: rfc6749.OAuth2Request) -> None:
        claims = unverified_claims(token["access_token"])
        family, parent, session_id, auth_time = str(uuid.uuid4()), None, None, None
        refresh = token.get("refresh_token")
        refresh_expires_at = claims["iat"] + self.provider.settings.refresh_token_ttl if refresh else None
        if isinstance(request.authorization_code, AuthorizationCode):
            family = request.authorization_code.family_id
        if isinstance(request.refresh_token, IssuedToken):
            # rotation keeps the family's end: refresh tokens do not outlive the working day they began
            family, parent = request.refresh_token.family_id, request.refresh_token.jti
            refresh_expires_at = request.refresh_token.refresh_expires_at
        user = request.user
        if isinstance(user, SignedIn):
            session_id, auth_time = user.session_id, user.auth_time
        _wait(
            self.provider.grants.save_token,
            NewToken(
                jti=claims["jti"],
                family_id=family,
                parent_jti=parent,
                client_id=claims["client_id"],
                officer_id=user.account.id if isinstance(user, SignedIn) else None,
                population=user.account.population if isinstance(user, SignedIn) else Population.MACHINE,
                session_id=session_id,
                scope=claims["scope"],
                auth_time=auth_time,
                issued_at=claims["iat"],
                access_expires_at=claims["exp"],
                refresh_token=refresh,
                refresh_expires_at=refresh_expires_at,
            ),
        )
        _wait(
            self.provider.audit.record,
            "token_issued",
            "ok",
            subject=claims["sub"],
            client_id=claims["client_id"],
            grant_type=request.payload.grant_type,
            scope=claims["scope"],
            jti=claims["jti"],
        )

    def create_oauth2_request(self, request: rfc6749.OAuth2Request) -> rfc6749.OAuth2Request:
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> OAuthResponse:
        return OAuthResponse(status, body, tuple((str(k), str(v)) for k, v in headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """Authlib's signals are not used; audit events are written where the facts are known."""
