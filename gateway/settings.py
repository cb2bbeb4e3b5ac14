"""Gateway settings: one frozen value built at the entry point from `ZHIJIAN_GATEWAY_*` variables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from kernel.settings import Env

PREFIX = "ZHIJIAN_GATEWAY_"


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """How big a document may be; each limit refused with its own `extensions.code` (see `gateway/README.md`)."""

    max_bytes: int = 32_768
    """Document text, UTF-8 bytes (``DOCUMENT_TOO_LARGE``)."""
    max_tokens: int = 4_000
    """Lexical tokens; the parser stops at the first one over (``TOKEN_LIMIT_EXCEEDED``)."""
    max_depth: int = 15
    """Nested field levels, through fragments (``DEPTH_LIMIT_EXCEEDED``); the introspection query needs 13."""
    max_aliases: int = 30
    """Aliased fields after fragment expansion (``ALIAS_LIMIT_EXCEEDED``)."""
    max_root_fields: int = 20
    """Root fields of one operation after fragment expansion (``ROOT_FIELD_LIMIT_EXCEEDED``)."""
    max_fields: int = 1_000
    """Fields of one operation after fragment expansion (``FIELD_LIMIT_EXCEEDED``)."""
    max_fragments: int = 100
    """Fragment definitions in one document (``FRAGMENT_LIMIT_EXCEEDED``)."""
    max_directives: int = 10
    """Directives on one location (``DIRECTIVE_LIMIT_EXCEEDED``)."""
    max_cost: int = 50_000
    """Static cost budget of one operation (``COST_LIMIT_EXCEEDED``), see `gateway.operation.cost`."""
    default_list_size: int = 10
    """Assumed length of a list field without `first`/`last` or `@listSize`, for the cost."""
    validation_budget_s: float = 0.2
    """CPU seconds validation may take before the document is refused (``VALIDATION_BUDGET_EXCEEDED``)."""


@dataclass(frozen=True, slots=True)
class GatewaySettings:
    """Everything the gateway can be told; see `gateway/README.md` for the variables."""

    host: str = "127.0.0.1"
    port: int = 4000
    workers: int = 1
    supergraph_path: str | None = None
    supergraph_poll_s: float = 0.0
    """How often to look whether the supergraph file changed (reloaded when it did); 0: only on SIGHUP."""
    graphql_path: str = "/graphql"
    subgraph_timeout_s: float = 30.0
    subgraph_timeouts: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    """Per-subgraph overrides of `subgraph_timeout_s`."""
    max_connections_per_subgraph: int = 100
    plan_cache_size: int = 1024
    document_cache_bytes: int = 16_000_000
    """Total text of the cached (valid) documents; their syntax trees, kept without locations, are about as big."""
    limits: DocumentLimits = field(default_factory=DocumentLimits)
    """Document limits (`ZHIJIAN_GATEWAY_MAX_*`), each refused with its own code before validation."""
    request_timeout_s: float = 60.0
    """End to end: a request still running after this is answered ``REQUEST_TIMEOUT`` (504)."""
    rate_limit_per_s: float = 0.0
    """Requests per second per caller (officer, machine client, or address without a token); 0: no rate limit."""
    rate_limit_burst: int = 0
    """Requests a caller may send at once; 0: twice the rate (at least 1)."""
    apq: bool = True
    """Apollo's automatic persisted queries: a document sent once with its sha256 is then run by hash alone."""
    trusted_documents: Path | None = None
    """A manifest of trusted documents (Apollo's persisted-query manifest or The Guild's id → document JSON)."""
    trusted_documents_only: bool = False
    """Run only the manifest's documents (by `documentId` or APQ hash), except for `free_clients`."""
    free_clients: tuple[str, ...] = ()
    """Token `client_id`s exempt from `trusted_documents_only` (GraphiQL's sign-in client in development)."""
    introspection: bool = True
    public_introspection: bool = False
    """With auth on, whether callers without a token get introspection and "Did you mean" suggestions (development);
    signed-in callers always do while `introspection` is on. With auth off, `introspection` alone decides."""
    graphiql: bool = True
    oidc_issuer: str | None = None
    """Provider GraphiQL signs officers in with (code + PKCE in the browser); unset: no sign-in button."""
    oidc_client_id: str | None = None
    """Public PKCE client of that sign-in, registering `<gateway origin>/auth/callback` as a redirect URI."""
    console_dir: str | None = None
    """The built officers' console (`console/dist`), served at `/console/`; unset: no console."""
    console_client_id: str | None = None
    """The console's public PKCE client at `oidc_issuer`, registering `<gateway origin>/console/auth/callback`."""
    forward_headers: tuple[str, ...] = ()
    """Client request headers passed on to subgraphs (lower case); never ``x-zhijian-identity``."""
    traces_exporter: str = "none"
    """OpenTelemetry spans (`OTEL_TRACES_EXPORTER`): ``none`` (off, no cost), ``console`` or ``otlp``."""
    service_name: str = "zhijian-gateway"
    """The traces' `service.name` (`OTEL_SERVICE_NAME`)."""
    max_request_bytes: int = 2_000_000
    issuer: str | None = None
    """The built-in provider's ``iss``; with no issuer at all, auth is off (no tokens, no directives)."""
    jwks_url: str | None = None
    """Where the built-in issuer's keys are; default ``<issuer>/jwks.json``."""
    audience: str | None = None
    """The ``aud`` tokens must carry; default this gateway's URL ``http://<host>:<port><graphql_path>``."""
    external_issuer: str | None = None
    """An enterprise IdP realm (Keycloak) trusted besides the built-in provider."""
    external_jwks_url: str | None = None
    external_client_roles: str | None = None
    """Keycloak client whose ``resource_access.<client>.roles`` count as roles."""
    external_token_types: tuple[str, ...] = ("at+jwt",)
    redis_url: str | None = None
    """Redis the provider announces revocations on (``ZHIJIAN_REDIS_URL``): logouts and disabled accounts are then
    refused here within seconds; unset, tokens end at expiry (the embedded hub shares its list in process)."""
    forwarding_key_file: Path | None = None
    """Ed25519 private key (PEM) the gateway signs ``x-zhijian-identity`` with; subgraphs hold its public key."""

    @property
    def auth_enabled(self) -> bool:
        return self.issuer is not None or self.external_issuer is not None

    @property
    def token_audience(self) -> str:
        return self.audience or f"http://{self.host}:{self.port}{self.graphql_path}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> GatewaySettings:
        """Read `ZHIJIAN_GATEWAY_*` variables (``os.environ`` at the entry point); unset ones keep their defaults."""
        env = Env(environ)
        defaults = cls()
        key_file = env.get(PREFIX + "FORWARDING_KEY_FILE") or env.get("ZHIJIAN_FORWARDING_KEY_FILE")
        trusted = env.get(PREFIX + "TRUSTED_DOCUMENTS")
        return cls(
            host=env.text(PREFIX + "HOST", defaults.host),
            port=env.port(PREFIX + "PORT", defaults.port),
            workers=env.integer(PREFIX + "WORKERS", defaults.workers, minimum=1),
            supergraph_path=env.get(PREFIX + "SUPERGRAPH"),
            supergraph_poll_s=env.seconds(PREFIX + "SUPERGRAPH_POLL", defaults.supergraph_poll_s, positive=False),
            graphql_path=env.text(PREFIX + "GRAPHQL_PATH", defaults.graphql_path),
            subgraph_timeout_s=env.seconds(PREFIX + "SUBGRAPH_TIMEOUT", defaults.subgraph_timeout_s),
            subgraph_timeouts=MappingProxyType(env.seconds_by_name(PREFIX + "SUBGRAPH_TIMEOUTS")),
            max_connections_per_subgraph=env.integer(
                PREFIX + "MAX_CONNECTIONS", defaults.max_connections_per_subgraph, minimum=1
            ),
            plan_cache_size=env.integer(PREFIX + "PLAN_CACHE_SIZE", defaults.plan_cache_size, minimum=0),
            document_cache_bytes=env.integer(PREFIX + "DOCUMENT_CACHE_BYTES", defaults.document_cache_bytes, minimum=0),
            limits=_limits(env, defaults.limits),
            request_timeout_s=env.seconds(PREFIX + "REQUEST_TIMEOUT", defaults.request_timeout_s),
            rate_limit_per_s=env.seconds(PREFIX + "RATE_LIMIT", defaults.rate_limit_per_s, positive=False),
            rate_limit_burst=env.integer(PREFIX + "RATE_LIMIT_BURST", defaults.rate_limit_burst, minimum=0),
            apq=env.flag(PREFIX + "APQ", defaults.apq),
            trusted_documents=None if trusted is None else Path(trusted),
            trusted_documents_only=env.flag(PREFIX + "TRUSTED_DOCUMENTS_ONLY", defaults.trusted_documents_only),
            free_clients=tuple(c.strip() for c in (env.get(PREFIX + "FREE_CLIENTS") or "").split(",") if c.strip()),
            introspection=env.flag(PREFIX + "INTROSPECTION", defaults.introspection),
            public_introspection=env.flag(PREFIX + "PUBLIC_INTROSPECTION", defaults.public_introspection),
            graphiql=env.flag(PREFIX + "GRAPHIQL", defaults.graphiql),
            oidc_issuer=(env.get(PREFIX + "OIDC_ISSUER") or "").rstrip("/") or None,
            oidc_client_id=env.get(PREFIX + "OIDC_CLIENT_ID"),
            forward_headers=env.names(PREFIX + "FORWARD_HEADERS", defaults.forward_headers),
            traces_exporter=(env.get("OTEL_TRACES_EXPORTER") or defaults.traces_exporter).strip().lower(),
            service_name=env.get("OTEL_SERVICE_NAME") or defaults.service_name,
            max_request_bytes=env.integer(PREFIX + "MAX_REQUEST_BYTES", defaults.max_request_bytes, minimum=1),
            issuer=env.get(PREFIX + "ISSUER"),
            jwks_url=env.get(PREFIX + "JWKS_URL"),
            audience=env.get(PREFIX + "AUDIENCE"),
            external_issuer=env.get(PREFIX + "EXTERNAL_ISSUER"),
            external_jwks_url=env.get(PREFIX + "EXTERNAL_JWKS_URL"),
            external_client_roles=env.get(PREFIX + "EXTERNAL_CLIENT_ROLES"),
            external_token_types=env.names(PREFIX + "EXTERNAL_TOKEN_TYPES", defaults.external_token_types),
            redis_url=env.get(PREFIX + "REDIS_URL") or env.get("ZHIJIAN_REDIS_URL"),
            forwarding_key_file=None if key_file is None else Path(key_file),
            console_dir=env.get(PREFIX + "CONSOLE_DIR"),
            console_client_id=env.get(PREFIX + "CONSOLE_CLIENT_ID"),
        )


def _limits(env: Env, defaults: DocumentLimits) -> DocumentLimits:
    def limit(name: str, default: int) -> int:
        return env.integer(PREFIX + name, default, minimum=1)

    return DocumentLimits(
        max_bytes=limit("MAX_DOCUMENT_BYTES", defaults.max_bytes),
        max_tokens=limit("MAX_TOKENS", defaults.max_tokens),
        max_depth=limit("MAX_DEPTH", defaults.max_depth),
        max_aliases=env.integer(PREFIX + "MAX_ALIASES", defaults.max_aliases, minimum=0),
        max_root_fields=limit("MAX_ROOT_FIELDS", defaults.max_root_fields),
        max_fields=limit("MAX_FIELDS", defaults.max_fields),
        max_fragments=env.integer(PREFIX + "MAX_FRAGMENTS", defaults.max_fragments, minimum=0),
        max_directives=env.integer(PREFIX + "MAX_DIRECTIVES", defaults.max_directives, minimum=0),
        max_cost=limit("MAX_COST", defaults.max_cost),
        default_list_size=limit("DEFAULT_LIST_SIZE", defaults.default_list_size),
        validation_budget_s=env.seconds(PREFIX + "VALIDATION_BUDGET", defaults.validation_budget_s),
    )
