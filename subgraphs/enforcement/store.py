"""Where evidence files live: a seam with one production implementation (a directory, e.g. an NFS mount of the
evidence vault) and an in-memory one for the demo. Rows name files by ``storage_uri``; the chain says whether
a file still matches its recorded digest."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol


class EvidenceStore(Protocol):
    def put(self, key: str, data: bytes) -> str:
        """Store ``data`` under ``key`` (``<case>/<item>``); the URI to record."""
        ...

    def get(self, uri: str) -> bytes | None:
        """The stored bytes, or None when the file is gone."""
        ...


class DirectoryEvidenceStore:
    """Files under one root directory, written atomically (temp file, fsync, rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, uri: str) -> Path:
        relative = uri.removeprefix("file:")
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"evidence URI {uri!r} points outside the store")
        return path

    def put(self, key: str, data: bytes) -> str:
        uri = f"file:{key}"
        path = self._path(uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
        return uri

    def get(self, uri: str) -> bytes | None:
        try:
            return self._path(uri).read_bytes()
        except FileNotFoundError:
            return None


class MemoryEvidenceStore:
    """Files held in memory (demo hub, no vault mounted)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def put(self, key: str, data: bytes) -> str:
        uri = f"mem:{key}"
        self.files[uri] = data
        return uri

    def get(self, uri: str) -> bytes | None:
        return self.files.get(uri)
