"""Identity provider tables in PostgreSQL schema ``identity``; times are Unix seconds, secrets only as hashes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA = "identity"


class Base(DeclarativeBase):
    metadata = MetaData(schema=SCHEMA)


class OfficerRow(Base):
    """An officer (执法人员) who signs in through the browser; jurisdiction is a code path."""

    __tablename__ = "identity_officers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    roles: Mapped[list[str]] = mapped_column(JSON)
    level: Mapped[str] = mapped_column(String(16))
    org_path: Mapped[str] = mapped_column(String(128))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)


class EnterpriseUserRow(Base):
    """A user of the public app (市场通) who acts for one or more market entities; a population of its own."""

    __tablename__ = "identity_enterprise_users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)


class EnterpriseBindingRow(Base):
    """An enterprise user's claim to act for one entity (USCC) as owner or staff; it counts once the legal
    representative's confirmation is recorded (by an officer or an external check)."""

    __tablename__ = "identity_enterprise_bindings"

    user_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(32))
    legal_representative: Mapped[str] = mapped_column(String(100))
    """The legal representative's name as the applicant gave it; the confirmation checks it."""
    status: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[int] = mapped_column(BigInteger)
    decided_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """Officer id, external checker's client id, or the owner who added a staff member."""
    method: Mapped[str | None] = mapped_column(String(16), nullable=True)


class ConsentRow(Base):
    """A user's remembered consent to a third-party client for some scopes, until withdrawn."""

    __tablename__ = "identity_consents"

    account_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    population: Mapped[str] = mapped_column(String(16), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[int] = mapped_column(BigInteger)
    withdrawn_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class ClientRow(Base):
    """A registered OAuth client (RFC 7591 metadata names): a browser app or a machine (legacy adapter)."""

    __tablename__ = "identity_clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    token_endpoint_auth_method: Mapped[str] = mapped_column(String(32))
    secret_hash: Mapped[str | None] = mapped_column(String(256), nullable=True)
    jwks: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    redirect_uris: Mapped[list[str]] = mapped_column(JSON)
    post_logout_redirect_uris: Mapped[list[str]] = mapped_column(JSON)
    grant_types: Mapped[list[str]] = mapped_column(JSON)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    org_path: Mapped[str | None] = mapped_column(String(128), nullable=True)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    """A machine client's integration role(s) (``kernel.roles``, population machine)."""
    resource_server: Mapped[bool] = mapped_column(Boolean, default=False)
    """May introspect tokens (RFC 7662) whose audience is ``resource_audience``."""
    resource_audience: Mapped[str | None] = mapped_column(String(256), nullable=True)
    first_party: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)


class AuthorizationCodeRow(Base):
    """An authorization code (RFC 6749 §4.1.2), kept after use so that a replay can be detected."""

    __tablename__ = "identity_authorization_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(String(36))
    client_id: Mapped[str] = mapped_column(String(64))
    officer_id: Mapped[str] = mapped_column(String(36))
    """The account (officer or enterprise user, see ``population``) the code was issued to."""
    population: Mapped[str] = mapped_column(String(16), default="officer")
    session_id: Mapped[str] = mapped_column(String(64))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    nonce: Mapped[str | None] = mapped_column(Text, nullable=True)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(8))
    auth_time: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    used_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class TokenRow(Base):
    """One issuance: an access token (by ``jti``) and, optionally, its refresh token (by hash).

    Every token minted from one authorization code or one client-credentials call shares a
    ``family_id``; reuse of a rotated refresh token or replay of the code revokes the family.
    """

    __tablename__ = "identity_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    parent_jti: Mapped[str | None] = mapped_column(String(64), nullable=True)
    client_id: Mapped[str] = mapped_column(String(64))
    officer_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    """The account (see ``population``); None for a machine client's token."""
    population: Mapped[str] = mapped_column(String(16), default="officer")
    session_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    scope: Mapped[str] = mapped_column(Text)
    auth_time: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    issued_at: Mapped[int] = mapped_column(BigInteger)
    access_expires_at: Mapped[int] = mapped_column(BigInteger)
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    refresh_expires_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    rotated_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    revoked_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class SessionRow(Base):
    """A single-sign-on session behind the ``zj_sso`` cookie (the cookie holds the secret, we its hash)."""

    __tablename__ = "identity_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    sid: Mapped[str] = mapped_column(String(36), unique=True)
    officer_id: Mapped[str] = mapped_column(String(36))
    """The account signed in (see ``population``)."""
    population: Mapped[str] = mapped_column(String(16), default="officer")
    auth_time: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    ended_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class UsedAssertionRow(Base):
    """``jti`` of client assertions already seen (RFC 7523 §3 item 7), kept until they expire."""

    __tablename__ = "identity_used_assertions"

    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[int] = mapped_column(BigInteger)


class AuditEventRow(Base):
    """An audit event: logins, token issuance, refusals. ``detail`` never holds a secret."""

    __tablename__ = "identity_audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(48))
    outcome: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str | None] = mapped_column(String(64), nullable=True)
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
