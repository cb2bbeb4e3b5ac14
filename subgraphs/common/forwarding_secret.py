"""The secret the gateway signs forwarded identities with and subgraphs verify them with (HS256, ≥ 32 bytes).

The hub reads ``ZHIJIAN_FORWARDING_SECRET`` into its settings; when it is unset, the embedded hub keeps a
generated one in ``<data dir>/forwarding.secret`` (mode 0600), so restarts and every in-process component agree.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from gateway.auth.forwarding import MIN_SECRET_BYTES

SECRET_FILE = "forwarding.secret"


def forwarding_secret(configured: str | None, data_dir: Path) -> str:
    """``configured`` when given (at least 32 bytes), else the secret kept under ``data_dir`` (created once)."""
    if configured:
        if len(configured.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"ZHIJIAN_FORWARDING_SECRET must have at least {MIN_SECRET_BYTES} bytes")
        return configured
    path = data_dir / SECRET_FILE
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others
    except FileExistsError:  # another process made it first
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    return secret
