"""Authlib on Starlette: read the request once, freeze it into an ``OAuth2Request``, map the answer back.

Authlib's server code is synchronous and ships glue for Flask and Django only; this is ours. The body is
read (and size-limited) on the event loop; Authlib then runs in a worker thread over the frozen copy.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

MAX_FORM_BYTES = 64 * 1024


class FormTooLarge(ValueError):
    """The request body is larger than any OAuth request needs."""

    code = "REQUEST_TOO_LARGE"


class FrozenPayload(OAuth2Payload):  # type: ignore[misc]
    """Query and form parameters as Authlib reads them: first value per name, plus every value."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self._data: dict[str, str] = {}
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for name, value in pairs:
            self._data.setdefault(name, value)
            self._datalist[name].append(value)

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class FrozenRequest(OAuth2Request):  # type: ignore[misc]
    """One HTTP request for Authlib, parameters frozen; Authlib still notes its findings (client, user) on it."""

    def __init__(
        self,
        method: str,
        uri: str,
        headers: Mapping[str, str],
        query: Sequence[tuple[str, str]],
        form: Sequence[tuple[str, str]],
    ) -> None:
        super().__init__(method=method, uri=uri, headers=headers)
        self._args = FrozenPayload(query).data
        self._form = FrozenPayload(form).data
        self.payload = FrozenPayload([*query, *form] if method == "GET" else [*form])

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


async def read_form(request: Request) -> list[tuple[str, str]]:
    """The ``application/x-www-form-urlencoded`` body as pairs; empty for other requests."""
    if request.method != "POST":
        return []
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return []
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise FormTooLarge(f"form body larger than {MAX_FORM_BYTES} bytes")
    return parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)


async def freeze(request: Request, issuer: str) -> FrozenRequest:
    """Snapshot a Starlette request; the URL is rebuilt on the issuer so Host headers cannot steer it."""
    form = await read_form(request)
    query = parse_qsl(request.url.query, keep_blank_values=True)
    uri = f"{issuer}{request.url.path}" + (f"?{request.url.query}" if request.url.query else "")
    return FrozenRequest(request.method, uri, request.headers, query, form)


@dataclass(frozen=True, slots=True)
class OAuthResponse:
    """What Authlib answered: ``(status, body, headers)``."""

    status: int
    body: Any
    headers: tuple[tuple[str, str], ...]

    @property
    def location(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "location"), None)

    @property
    def error(self) -> str | None:
        return self.body.get("error") if isinstance(self.body, dict) else None


def to_response(answer: OAuthResponse, *, location: str | None = None) -> Response:
    """A Starlette response for Authlib's answer; ``location`` overrides the redirect target."""
    headers = {k: v for k, v in answer.headers if k.lower() not in ("location", "content-type")}
    target = location if location is not None else answer.location
    if target is not None:
        headers["Location"] = target
    headers.setdefault("Cache-Control", "no-store")
    headers.setdefault("Pragma", "no-cache")
    if isinstance(answer.body, dict):
        return JSONResponse(answer.body, status_code=answer.status, headers=headers)
    body = answer.body if isinstance(answer.body, str | bytes) else json.dumps(answer.body)
    return Response(body, status_code=answer.status, headers=headers)
