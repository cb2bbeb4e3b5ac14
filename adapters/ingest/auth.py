"""Who is calling: a device's client-credentials token from our provider (``authorization: Bearer …`` metadata), or
its client certificate over mutual TLS. Either way the answer is a device id; the registry says what it may do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from adapters.ingest.errors import IngestCode, Refused
from gateway.auth import AuthError, TokenValidator

SCOPE = "devices:ingest"
"""The scope a device's client must hold at the provider."""


class DeviceAuthenticator(Protocol):
    async def device_id(self, context: Any) -> str | None:
        """The device behind the call, None when this method does not apply, ``Refused`` when it fails."""
        ...


def metadata(context: Any, key: str) -> str | None:
    for item in context.invocation_metadata() or ():
        if item.key == key:
            return str(item.value)
    return None


@dataclass(frozen=True, slots=True)
class TokenAuthenticator:
    """A machine client's access token: the client id is the device id."""

    validator: TokenValidator
    scope: str = SCOPE

    async def device_id(self, context: Any) -> str | None:
        authorization = metadata(context, "authorization")
        if authorization is None:
            return None
        try:
            principal = await self.validator.authenticate(authorization)
        except AuthError as error:
            raise Refused(IngestCode.UNAUTHENTICATED, f"the token was refused: {error}") from None
        if principal.client_id is None or not principal.has_scopes(self.scope):
            raise Refused(IngestCode.UNAUTHENTICATED, f"the token is not a device client's with scope {self.scope}")
        return principal.client_id


@dataclass(frozen=True, slots=True)
class CertificateAuthenticator:
    """Mutual TLS: the client certificate, signed by the devices' CA (the server checks it), names the device in its
    common name."""

    async def device_id(self, context: Any) -> str | None:
        names = (context.auth_context() or {}).get("x509_common_name") or ()
        return names[0].decode() if names else None


async def authenticate(methods: Sequence[DeviceAuthenticator], context: Any) -> str:
    """The device id from the first method that applies; ``UNAUTHENTICATED`` when none does."""
    for method in methods:
        found = await method.device_id(context)
        if found:
            return found
    raise Refused(IngestCode.UNAUTHENTICATED, "a device token (authorization: Bearer …) or certificate is needed")
