"""The gateway's ASGI application: `/graphql` (POST, GET, GraphiQL), `/health`, static assets."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import signal
import time
from collections.abc import AsyncGenerator, Callable, Coroutine, Mapping
from hashlib import sha256
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from starlette.types import Receive, Scope, Send

from gateway.auth import AccessPolicy, AuthError, KeysUnavailable, TokenValidator, challenge
from gateway.errors import GatewayError
from gateway.execution import ExecutionLimits, Gateway, SubgraphClient, http_client_for
from gateway.http.auth import EdgeAuth, edge_auth_from_settings, signer_from_settings
from gateway.http.console import PREFIX as CONSOLE_PREFIX
from gateway.http.console import ConsoleFiles
from gateway.http.exchange import REQUEST_ID_HEADER, Answer, Exchange, child_traceparent, request_id
from gateway.http.graphiql import ASSET_PREFIX, SignIn, browser_page, graphiql_page, static_asset
from gateway.http.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from gateway.http.metrics import GatewayMetrics
from gateway.http.persisted import PersistedDocuments, persisted_documents
from gateway.http.protocol import (
    GRAPHQL_RESPONSE_JSON,
    JSON,
    MULTIPART,
    BadRequest,
    GraphQLParams,
    RequestTimeout,
    accepts_multipart,
    error_body,
    error_entry,
    multipart,
    params_from_json,
    params_from_query_string,
    response_media_type,
)
from gateway.http.ratelimit import (
    LocalTokenBuckets,
    RateLimit,
    RateLimited,
    RateLimiter,
    RedisTokenBuckets,
    caller_key,
    retry_after,
)
from gateway.http.readiness import readiness
from gateway.http.subscriptions import SSE_EVENT_STREAM, Streams, WebSocketSession, serve_sse
from gateway.operation import LimitExceeded, OperationError, without_suggestions
from gateway.operation.deferral import mentions_defer, rewrite, split
from gateway.settings import GatewaySettings
from gateway.tracing import request_span, tracer_for
from kernel.forwarding import FORWARDED_IDENTITY_HEADER, IdentitySigner
from kernel.logs import current_request_id
from kernel.principal import Principal

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

_HEALTH = orjson.dumps({"status": "ok"})
_log = logging.getLogger("zhijian.gateway")
_access = logging.getLogger("zhijian.gateway.access")


def create_app(
    supergraph_sdl: str,
    settings: GatewaySettings | None = None,
    transports: Mapping[str, SubgraphClient] | None = None,
    *,
    validator: TokenValidator | EdgeAuth | None = None,
    signer: IdentitySigner | None = None,
    policy: AccessPolicy | None = None,
    rate_limiter: RateLimiter | None = None,
    tracer: Tracer | None = None,
) -> GatewayApp:
    """Build the ASGI app; `transports` maps subgraph names to clients (others get pooled HTTP).

    Auth is on when a `validator` is given or the settings name an issuer: bearer tokens are checked,
    `@authenticated` / `@requiresScopes` / `@policy` enforced, and with a `signer` (or
    `settings.forwarding_secret`) every subgraph fetch carries the signed caller as `x-zhijian-identity`.
    With `settings.rate_limit_per_s` callers are rate-limited by `rate_limiter` (default: Redis buckets when the
    settings name Redis, else in process). With a `tracer` (default: from `settings.traces_exporter`, off) requests,
    parse, validate, plan and fetches are OpenTelemetry spans.
    """
    settings = settings or GatewaySettings()
    auth = EdgeAuth(validator) if isinstance(validator, TokenValidator) else validator
    if auth is None:
        auth = edge_auth_from_settings(settings)
    given = dict(transports or {})
    access = (policy or AccessPolicy()) if auth is not None else None
    signer = signer or signer_from_settings(settings)
    tracer = tracer or tracer_for(settings.traces_exporter, settings.service_name)

    def build(sdl: str, current: Mapping[str, SubgraphClient]) -> Gateway:
        gateway = Gateway(
            sdl,
            {},
            ExecutionLimits(settings.subgraph_timeout_s, dict(settings.subgraph_timeouts)),
            settings.plan_cache_size,
            settings.introspection,
            public_introspection=settings.public_introspection or auth is None,
            access=access,
            signer=signer,
            document_limits=settings.limits,
            document_cache_bytes=settings.document_cache_bytes,
        )
        clients: dict[str, SubgraphClient] = {}
        for record in gateway.supergraph.subgraphs:
            client = given.get(record.name) or current.get(f"{record.name} {record.url}")
            if client is None:
                client = http_client_for(record.name, record.url, settings.max_connections_per_subgraph)
            clients[record.name] = client
        gateway.executor.clients = clients
        gateway.tracer = gateway.executor.tracer = tracer
        return gateway

    if rate_limiter is None and settings.rate_limit_per_s > 0:
        rate_limiter = rate_limiter_from_settings(settings)
    return GatewayApp(build(supergraph_sdl, {}), settings, auth, persisted_documents(settings), rate_limiter, build)


class GatewayApp:
    """A lean ASGI app (no framework routing on the hot path)."""

    def __init__(
        self,
        gateway: Gateway,
        settings: GatewaySettings,
        auth: EdgeAuth | None = None,
        persisted: PersistedDocuments | None = None,
        rate_limiter: RateLimiter | None = None,
        build: Callable[[str, Mapping[str, SubgraphClient]], Gateway] | None = None,
    ) -> None:
        self._build = build
        self.gateway = gateway
        self.settings = settings
        self.auth = auth
        self.persisted = persisted or PersistedDocuments()
        self.rate_limiter = rate_limiter
        self.metrics = GatewayMetrics()
        self._observe(gateway)
        self._watch: asyncio.Task[None] | None = None
        self._retiring: set[asyncio.Task[Any]] = set()
        self._forward = frozenset(
            h.encode("latin-1") for h in settings.forward_headers if h != FORWARDED_IDENTITY_HEADER
        )
        self._page: bytes | None = None
        self._console = ConsoleFiles.of(settings)
        self.streams = Streams()
        """Live subscriptions (WebSocket connections, SSE streams), ended on shutdown."""

    def _observe(self, gateway: Gateway) -> None:
        self.metrics.caches.update(gateway.caches)
        gateway.executor.on_fetch = self.metrics.fetch

    async def reload(self, supergraph_sdl: str) -> bool:
        """Serve `supergraph_sdl` from now on: parsed and checked in a worker thread, then swapped in at once.

        Requests in flight finish on the supergraph they started with; subgraph clients the new one no longer uses
        are closed once those requests can no longer need them. A broken supergraph is refused (logged) and the
        current one keeps serving. Returns whether the new supergraph is served.
        """
        if self._build is None:
            return False
        old = self.gateway
        if sha256(supergraph_sdl.encode()).hexdigest()[:16] == old.version:
            return True
        current = {f"{r.name} {r.url}": old.executor.clients[r.name] for r in old.supergraph.subgraphs}
        try:
            fresh = await asyncio.to_thread(self._build, supergraph_sdl, current)
        except Exception as error:
            _log.error("kept supergraph %s; the new one is refused: %s", old.version, error)
            return False
        self._observe(fresh)
        self.gateway = fresh
        kept = {id(c) for c in fresh.executor.clients.values()}
        retired = [c for c in old.executor.clients.values() if id(c) not in kept]
        if retired:
            task = asyncio.get_running_loop().create_task(self._retire(retired))
            self._retiring.add(task)
            task.add_done_callback(self._retiring.discard)
        _log.warning("now serving supergraph %s (was %s)", fresh.version, old.version)
        return True

    async def reload_file(self) -> bool:
        """Reload the supergraph from `settings.supergraph_path` (on SIGHUP, or when the poll sees it change)."""
        path = self.settings.supergraph_path
        if path is None:
            return False
        try:
            sdl = await asyncio.to_thread(Path(path).read_text, encoding="utf-8")
        except OSError as error:
            _log.error("kept supergraph %s; cannot read %s: %s", self.gateway.version, path, error)
            return False
        return await self.reload(sdl)

    async def _retire(self, clients: list[SubgraphClient]) -> None:
        await asyncio.sleep(self.settings.request_timeout_s)
        for client in clients:
            await client.aclose()

    async def _poll(self, path: Path, interval: float) -> None:
        seen = _stamp(path)
        while True:
            await asyncio.sleep(interval)
            stamp = _stamp(path)
            if stamp != seen:
                seen = stamp
                await self.reload_file()

    def start_reloading(self) -> None:
        """SIGHUP reloads the supergraph file; with `supergraph_poll_s` the file is also watched."""
        path = self.settings.supergraph_path
        if path is None or self._build is None:
            return
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals
            loop.add_signal_handler(signal.SIGHUP, lambda: self._spawn(self.reload_file()))
        if self.settings.supergraph_poll_s > 0 and self._watch is None:
            self._watch = loop.create_task(self._poll(Path(path), self.settings.supergraph_poll_s))

    def _spawn(self, work: Coroutine[Any, Any, bool]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "websocket":
            if scope["path"] == self.settings.graphql_path:
                session = WebSocketSession(
                    _stream_headers(scope), receive, send, self.open_stream, self._authenticate, self.streams
                )
                await session.run()
            else:
                await send({"type": "websocket.close", "code": 4404, "reason": "Not found"})
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.start_reloading()
                if self.auth is not None:
                    await self.auth.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.end_streams()
                if self._watch is not None:
                    self._watch.cancel()
                for task in list(self._retiring):
                    task.cancel()
                await self.gateway.aclose()
                await self.metrics.aclose()
                if self.rate_limiter is not None:
                    await self.rate_limiter.aclose()
                if self.auth is not None:
                    await self.auth.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        method: str = scope["method"]
        if path == self.settings.graphql_path:
            if method == "POST":
                await self._post(scope, receive, send)
            elif method in ("GET", "HEAD"):
                await self._get(scope, receive, send)
            else:
                await _send(send, 405, b"text/plain", b"Use GET or POST.", ((b"allow", b"GET, POST"),))
        elif path == "/health":
            await _send(send, 200, b"application/json", _HEALTH)
        elif path == "/ready":
            status, body = await readiness(self.gateway)
            await _send(send, status, b"application/json", body, ((b"cache-control", b"no-store"),))
        elif path == "/metrics" and method == "GET":
            await _send(send, 200, METRICS_CONTENT_TYPE, self.metrics.render())
        elif path.startswith(ASSET_PREFIX) and self.settings.graphiql and method == "GET":
            asset = static_asset(path[len(ASSET_PREFIX) :])
            if asset is None:
                await _send(send, 404, b"text/plain", b"Not found.")
            else:
                await _send(send, 200, asset.content_type.encode(), asset.body, ((b"cache-control", b"max-age=3600"),))
        elif self._console is not None and method in ("GET", "HEAD") and _under(path, CONSOLE_PREFIX):
            answer = self._console.response(path, _headers(scope).get(b"accept-encoding", b"").decode("latin-1"))
            await _send(send, answer.status, answer.content_type.encode(), answer.body, answer.headers)
        elif method == "GET" and (page := browser_page(path, self.settings)) is not None:
            await _send(send, page.status, page.content_type.encode(), page.body, page.headers)
        else:
            await _send(send, 404, b"text/plain", b"Not found.")

    async def _post(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        accept = headers.get(b"accept", b"").decode("latin-1")
        media = JSON if SSE_EVENT_STREAM in accept else response_media_type(accept)
        if media is None and accepts_multipart(accept):
            media = JSON  # the errors of an operation refused before any part
        if media is None:
            await _send(send, 406, b"text/plain", b"Accept application/graphql-response+json or application/json.")
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if len(body) > self.settings.max_request_bytes:
                await self._error(send, media, BadRequest("The request body is too large."), 413)
                return
            if not message.get("more_body"):
                break
        content_type = headers.get(b"content-type", b"application/json").split(b";")[0].strip().lower()
        if content_type not in (b"application/json", b"application/graphql+json", b""):
            await self._error(send, media, BadRequest("Send the request as application/json."), 415)
            return
        try:
            params = params_from_json(body)
        except BadRequest as error:
            await self._error(send, media, error, 400)
            return
        if SSE_EVENT_STREAM in accept:
            await self._stream(params, headers, receive, send, scope, allow_mutation=True)
            return
        await self._run(params, headers, media, send, scope, allow_mutation=True, incremental=accepts_multipart(accept))

    async def _get(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        raw_query: bytes = scope.get("query_string", b"")
        accept = headers.get(b"accept", b"").decode("latin-1")
        if self.settings.graphiql and "text/html" in accept and b"query=" not in raw_query:
            if self._page is None:
                self._page = graphiql_page(self.settings.graphql_path, SignIn.of(self.settings)).encode()
            await _send(send, 200, b"text/html; charset=utf-8", self._page)
            return
        media = JSON if SSE_EVENT_STREAM in accept else response_media_type(accept)
        if media is None:
            await _send(send, 406, b"text/plain", b"Accept application/graphql-response+json or application/json.")
            return
        try:
            params = params_from_query_string(raw_query)
        except BadRequest as error:
            await self._error(send, media, error, 400)
            return
        if SSE_EVENT_STREAM in accept:
            await self._stream(params, headers, receive, send, scope, allow_mutation=False)
            return
        await self._run(params, headers, media, send, scope, allow_mutation=False)

    async def _stream(
        self,
        params: GraphQLParams,
        headers: dict[bytes, bytes],
        receive: Receive,
        send: Send,
        scope: Scope,
        allow_mutation: bool,
    ) -> None:
        """GraphQL over SSE (distinct connections mode)."""
        started = time.perf_counter()
        headers = _stream_headers(scope)
        extra = ((b"x-request-id", headers[b"x-request-id"]),)
        _, outcome = await serve_sse(
            params, headers, receive, send, self.open_stream, self.streams, allow_mutation, extra
        )
        self.metrics.request(None, outcome, time.perf_counter() - started)

    async def end_streams(self) -> None:
        """End every live subscription: WebSockets close with 1001 (going away), SSE streams send `complete`;
        each upstream subscription is completed. Called on shutdown, before in-flight requests are awaited."""
        await self.streams.end()

    async def _authenticate(self, headers: dict[bytes, bytes]) -> Principal | None:
        if self.auth is None:
            return None
        return await self.auth.principal(headers.get(b"authorization"))

    async def open_stream(
        self, params: GraphQLParams, headers: dict[bytes, bytes], allow_mutation: bool
    ) -> AsyncGenerator[dict[str, Any], None]:
        """What a WebSocket `subscribe` or an SSE request runs: the caller authenticated (bearer token rules as over
        HTTP), rate-limited, the document checked within the limits; a subscription's events, else one result.
        Raises `AuthError`, `KeysUnavailable` or a `GatewayError` refusal before the first result."""
        gateway = self.gateway
        principal = await self._authenticate(headers)
        if self.rate_limiter is not None:
            address = headers.get(_ADDRESS, b"").decode("latin-1") or None
            wait = await self.rate_limiter.take(caller_key(principal, address))
            if wait > 0:
                self.metrics.rate_limited += 1
                raise RateLimited("Too many requests; retry later.")
        rid = headers.get(b"x-request-id")
        forwarded = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers.items() if k in self._forward}
        forwarded[REQUEST_ID_HEADER] = rid.decode("latin-1") if rid else request_id(None)
        query = params.query
        if query is None or params.document_id is not None or self.persisted.required:
            query = self.persisted.document(query, params.document_id, principal)
        prepared = gateway.prepare(query, params.operation_name)
        if not allow_mutation and prepared.kind.value == "mutation":
            raise BadRequest("Mutations must be sent with POST.")
        if prepared.kind.value != "subscription":
            return _once(
                gateway.execute(query, params.operation_name, params.variables, forwarded, prepared, principal)
            )
        authorization = headers.get(b"authorization")

        async def check() -> dict[str, Any] | None:
            try:
                await self._authenticate({b"authorization": authorization} if authorization else {})
            except (AuthError, KeysUnavailable) as error:
                return error_entry(error.message, error.code)
            return None

        events = gateway.subscribe(
            query,
            params.operation_name,
            params.variables,
            forwarded,
            prepared,
            principal,
            check if principal is not None else None,
        )
        return events if principal is None else _until(events, principal.expires_at)

    async def _run(
        self,
        params: GraphQLParams,
        headers: dict[bytes, bytes],
        media: str,
        send: Send,
        scope: Scope,
        allow_mutation: bool,
        incremental: bool = False,
    ) -> None:
        started = time.perf_counter()
        exchange = Exchange(request_id(headers.get(b"x-request-id")))
        token = current_request_id.set(exchange.request_id)
        try:
            tracer = self.gateway.tracer
            if tracer is None:
                answer = await self._answer(params, headers, media, scope, allow_mutation, exchange, incremental)
            else:
                with request_span(tracer, headers.get(b"traceparent")) as current:
                    answer = await self._answer(params, headers, media, scope, allow_mutation, exchange, incremental)
                    current.set_attribute("http.response.status_code", answer.status)
                    current.set_attribute("graphql.operation.name", exchange.operation or "")
                    current.set_attribute("zhijian.request_id", exchange.request_id)
        finally:
            current_request_id.reset(token)
        extra = ((b"x-request-id", exchange.request_id.encode()), *answer.headers)
        await _send(send, answer.status, (answer.media or media).encode(), answer.body, extra)
        seconds = time.perf_counter() - started
        self.metrics.request(exchange.operation, answer.outcome, seconds)
        if answer.codes:
            self.metrics.errors(answer.codes)
        if _access.isEnabledFor(logging.INFO):
            fields = exchange.log_fields(answer, seconds)
            _access.info(orjson.dumps(fields).decode(), extra={"fields": fields})

    async def _answer(
        self,
        params: GraphQLParams,
        headers: dict[bytes, bytes],
        media: str,
        scope: Scope,
        allow_mutation: bool,
        exchange: Exchange,
        incremental: bool = False,
    ) -> Answer:
        gateway = self.gateway
        principal = None
        if self.auth is not None:
            try:
                principal = await self.auth.principal(headers.get(b"authorization"))
            except (AuthError, KeysUnavailable) as error:
                status, extra = challenge(error)
                challenge_headers = tuple((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items())
                return Answer.error(error, status, "unauthenticated", challenge_headers)
            exchange.client_id = principal.client_id if principal is not None else None
        if self.rate_limiter is not None:
            client = scope.get("client")
            wait = await self.rate_limiter.take(caller_key(principal, client[0] if client else None))
            if wait > 0:
                self.metrics.rate_limited += 1
                _log.warning("rate-limited a caller for %.1f s (request %s)", wait, exchange.request_id)
                limited = RateLimited("Too many requests; retry after the time in Retry-After.")
                return Answer.error(limited, 429, "rate_limited", ((b"retry-after", retry_after(wait).encode()),))
        forwarded = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers.items() if k in self._forward}
        forwarded[REQUEST_ID_HEADER] = exchange.request_id
        parent = headers.get(b"traceparent")
        if parent is not None and gateway.tracer is None and (child := child_traceparent(parent)) is not None:
            forwarded["traceparent"] = child
        try:
            async with asyncio.timeout(self.settings.request_timeout_s):
                query = params.query
                if query is None or params.document_id is not None or self.persisted.required:
                    query = self.persisted.document(query, params.document_id, principal)
                deferred = None
                if incremental and mentions_defer(query):
                    query, deferred = rewrite(query, gateway.document_limits)
                prepared = gateway.prepare(query, params.operation_name)
                exchange.operation = prepared.operation.name.value if prepared.operation.name else None
                if params.document_id is not None and params.query is not None:
                    self.persisted.learn(params.document_id, query)
                if not allow_mutation and prepared.kind.value != "query":
                    refusal = BadRequest("Mutations must be sent with POST.")
                    return Answer.error(refusal, 405, "refused", ((b"allow", b"POST"),))
                result = await gateway.execute(
                    query, params.operation_name, params.variables, forwarded, prepared, principal
                )
        except OperationError as error:
            if isinstance(error, LimitExceeded):
                _log.warning("refused a document: %s (%s), request %s", error.code, error.message, exchange.request_id)
            hints = gateway.shows_schema(principal)
            errors = [
                error_entry(e.message if hints else without_suggestions(e.message), error.code, _locations(e.locations))
                for e in error.errors
            ]
            status = 400 if media == GRAPHQL_RESPONSE_JSON else 200
            return Answer(status, orjson.dumps({"errors": errors}), "refused", (error.code,))
        except TimeoutError:
            _log.warning("request %s ran past %s s", exchange.request_id, self.settings.request_timeout_s)
            timeout = RequestTimeout(f"The request took longer than {self.settings.request_timeout_s} s.")
            return Answer.error(timeout, 504, "timeout")
        except GatewayError as error:
            return Answer.error(error, 500, "error")
        except Exception:
            _log.exception("unexpected failure serving a GraphQL request (request %s)", exchange.request_id)
            return Answer.error(GatewayError("The gateway failed unexpectedly; the error is logged."), 500, "error")
        failures = result.get("errors")
        codes = tuple(str((e.get("extensions") or {}).get("code", "")) for e in failures or ())
        outcome = "partial" if failures else "ok"
        if deferred is not None:
            initial, entries = split(result, deferred, params.operation_name, params.variables, gateway.api_schema)
            payloads = [orjson.dumps({**initial, "hasNext": bool(entries)})]
            payloads += [
                orjson.dumps({"incremental": [entry], "hasNext": n < len(entries) - 1})
                for n, entry in enumerate(entries)
            ]
            return Answer(200, multipart(payloads), outcome, codes, media=MULTIPART)
        return Answer(200, orjson.dumps(result), outcome, codes)

    async def _error(
        self, send: Send, media: str, error: GatewayError, status: int, extra: tuple[tuple[bytes, bytes], ...] = ()
    ) -> None:
        await _send(send, status, media.encode(), orjson.dumps(error_body(error)), extra)


async def _once(result: Coroutine[Any, Any, dict[str, Any]]) -> AsyncGenerator[dict[str, Any], None]:
    yield await result


async def _until(
    events: AsyncGenerator[dict[str, Any], None], expires_at: float
) -> AsyncGenerator[dict[str, Any], None]:
    """`events` until the caller's token expires; then one `UNAUTHENTICATED` error ends the subscription."""
    async with contextlib.aclosing(events):
        while True:
            try:
                async with asyncio.timeout(expires_at - time.time()):
                    event = await anext(events)
            except StopAsyncIteration:
                return
            except TimeoutError:
                yield {
                    "errors": [error_entry("Your token has expired; sign in again.", "UNAUTHENTICATED")],
                    "data": None,
                }
                return
            yield event


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def rate_limiter_from_settings(settings: GatewaySettings) -> RateLimiter:
    """Token buckets at `settings.redis_url` (shared by the deployment's gateways), else in this process."""
    rate = settings.rate_limit_per_s
    limit = RateLimit(rate, settings.rate_limit_burst or max(1, math.ceil(2 * rate)))
    if settings.redis_url:
        return RedisTokenBuckets.from_url(settings.redis_url, limit)
    return LocalTokenBuckets(limit)


def _locations(locations: tuple[tuple[int, int], ...]) -> dict[str, Any] | None:
    if not locations:
        return None
    return {"locations": [{"line": line, "column": column} for line, column in locations]}


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return dict(scope["headers"])


_ADDRESS = b" address"
"""Where `_stream_headers` keeps the client's address (a name no HTTP header can have)."""


def _stream_headers(scope: Scope) -> dict[bytes, bytes]:
    """A stream's request headers, with its request id (given or minted) and the client's address."""
    headers = _headers(scope)
    headers[b"x-request-id"] = request_id(headers.get(b"x-request-id")).encode()
    client = scope.get("client")
    headers[_ADDRESS] = str(client[0]).encode("latin-1") if client else b""
    return headers


async def _send(
    send: Send,
    status: int,
    content_type: bytes,
    body: bytes,
    extra: tuple[tuple[bytes, bytes], ...] = (),
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), *extra],
        }
    )
    await send({"type": "http.response.body", "body": body})
