"""Secrets kept in files readable by their owner only (mode 0600): written atomically, generated once.

The embedded hub keeps what it generates (signing keys, the cookie secret, machine-client secrets) under its
data directory, so restarts and every process sharing the directory agree.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``, readable by its owner only, never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    tmp.replace(path)


def kept_secret(path: Path, generate: Callable[[], str]) -> str:
    """The secret in ``path``; when there is none, ``generate()`` is stored there first (the first process wins,
    and no process ever reads a half-written file: the file appears whole, by a hard link)."""
    if not path.exists():
        draft = path.with_name(f"{path.name}.{os.getpid()}.new")
        write_private(draft, generate() + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:  # another process made it first
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip()
