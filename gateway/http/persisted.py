"""Persisted operations: Apollo's automatic persisted queries (APQ, `extensions.persistedQuery.sha256Hash`) and
trusted documents — a manifest of allowed operations that, when required, is all a caller may run.

Manifests as Apollo's tooling writes them (``{"format": "apollo-persisted-query-manifest", "operations": [{"id",
"body", …}]}``) or as The Guild's client preset does (``{"<id>": "<document>"}``). Clients send the id as
`documentId` or as the APQ hash. APQ documents are kept per process (bounded by bytes); each process learns a
document on its client's first retry.
"""

from __future__ import annotations

from collections.abc import Mapping
from hashlib import sha256
from types import MappingProxyType

import orjson

from gateway.errors import InternalError
from gateway.operation import OperationError
from gateway.planner import LruCache
from gateway.settings import GatewaySettings
from kernel.principal import Principal

APQ_NOT_FOUND = "PersistedQueryNotFound"
"""The message (and, as PERSISTED_QUERY_NOT_FOUND, the code) Apollo clients answer by sending the text."""


class PersistedQueryError(OperationError):
    """A persisted-operation request that cannot run. Codes: ``PERSISTED_QUERY_NOT_FOUND``,
    ``PERSISTED_QUERY_NOT_SUPPORTED``, ``PERSISTED_QUERY_HASH_MISMATCH``, ``PERSISTED_QUERY_ID_REQUIRED``."""

    code = "PERSISTED_QUERY_NOT_FOUND"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def read_manifest(data: bytes) -> Mapping[str, str]:
    """Id → document of a trusted-documents manifest (Apollo's or The Guild's format); raise ValueError."""
    payload = orjson.loads(data)
    if isinstance(payload, dict) and isinstance(payload.get("operations"), list):
        documents = {str(op["id"]): str(op["body"]) for op in payload["operations"]}
    elif isinstance(payload, dict) and all(isinstance(v, str) for v in payload.values()):
        documents = {str(k): v for k, v in payload.items()}
    else:
        raise ValueError("not an Apollo persisted-query manifest nor an id → document map")
    return MappingProxyType(documents)


class PersistedDocuments:
    """Turns a request's (query, document id) into the document text to run, for one caller."""

    def __init__(
        self,
        trusted: Mapping[str, str] | None = None,
        *,
        apq: bool = True,
        required: bool = False,
        free_clients: frozenset[str] = frozenset(),
        cache_bytes: int = 4_000_000,
    ) -> None:
        self.trusted = trusted or {}
        self.apq = apq
        self.required = required
        """Only trusted documents run, except for callers whose token's client is in `free_clients`."""
        self.free_clients = free_clients
        self._learned: LruCache[str, str] = LruCache(10_000, cache_bytes)

    def document(self, query: str | None, document_id: str | None, principal: Principal | None) -> str:
        """The text to run; raise `PersistedQueryError` when there is none this caller may run."""
        free = not self.required or (principal is not None and principal.client_id in self.free_clients)
        if document_id is None:
            if not free:
                raise PersistedQueryError(
                    "PERSISTED_QUERY_ID_REQUIRED", "Only trusted documents run here; send their `documentId`."
                )
            assert query is not None  # the request parameters have one or the other
            return query
        trusted = self.trusted.get(document_id)
        if trusted is not None:
            return trusted
        if not free:
            raise PersistedQueryError(
                "PERSISTED_QUERY_NOT_FOUND", f"No trusted document has the id {document_id[:80]}."
            )
        if not self.apq:
            raise PersistedQueryError("PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported")
        if query is None:
            learned = self._learned.get(document_id)
            if learned is None:
                raise PersistedQueryError("PERSISTED_QUERY_NOT_FOUND", APQ_NOT_FOUND)
            return learned
        if sha256(query.encode()).hexdigest() != document_id.lower():
            raise PersistedQueryError("PERSISTED_QUERY_HASH_MISMATCH", "The sha256Hash does not match the query.")
        return query

    def learn(self, document_id: str, query: str) -> None:
        """Remember an APQ document once it has been prepared (so nothing invalid or over a limit is kept)."""
        if self.apq and document_id not in self.trusted:
            self._learned.put(document_id, query, len(query))


def persisted_documents(settings: GatewaySettings) -> PersistedDocuments:
    """The persisted-operation policy `settings` describe; the manifest is read here, once, at startup."""
    trusted: Mapping[str, str] = {}
    if settings.trusted_documents is not None:
        try:
            trusted = read_manifest(settings.trusted_documents.read_bytes())
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise InternalError(f"cannot read the trusted documents {settings.trusted_documents}: {error}") from error
    return PersistedDocuments(
        trusted,
        apq=settings.apq,
        required=settings.trusted_documents_only,
        free_clients=frozenset(settings.free_clients),
    )
