"""A logging filter that blanks OAuth secrets in URLs (uvicorn's access log prints query strings)."""

from __future__ import annotations

import logging
import re

SECRET_PARAMETERS = (
    "code",
    "state",
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "id_token_hint",
    "password",
    "client_secret",
    "client_assertion",
    "code_verifier",
    "nonce",
    "session_state",
    "csrf",
)
_PATTERN = re.compile(
    r"(?P<key>(?:^|[?&;\s]|%26|%3F)(?:" + "|".join(SECRET_PARAMETERS) + r")(?:=|%3D))[^&\s\"']*", re.IGNORECASE
)
"""A secret parameter, plain or percent-encoded inside another parameter (``return_to=%2Fauthorize%3F…``);
an encoded one is blanked to the end of the enclosing value."""


def redact(text: str) -> str:
    """``text`` with the value of every secret-bearing query parameter replaced by ``***``."""
    return _PATTERN.sub(r"\g<key>***", text)


class RedactSecrets(logging.Filter):
    """Rewrites the message and its string arguments; install on uvicorn's ``uvicorn.access`` logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


def install(*logger_names: str) -> None:
    """Attach :class:`RedactSecrets` to the named loggers (default: uvicorn's access and error logs).

    Also keeps Authlib at INFO: its DEBUG messages print whole token responses (``Issue token %r``).
    """
    logging.getLogger("authlib").setLevel(logging.INFO)
    for name in logger_names or ("uvicorn.access", "uvicorn.error", "zhijian"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
