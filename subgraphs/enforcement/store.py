"""Where evidence files live: a seam with one production implementation (a directory, e.g. an NFS mount of the
evidence vault) and an in-memory one for the demo. Rows name files by ``storage_uri``; the chain says whether
a file still matches its recorded digest."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol


class EvidenceStore(Protocol):
    def put(self, key: str, data: bytes) -> str:
        """Store ``data`` under ``key`` (``<case>/<item>``); the URI to record."""
        ...

    def get(self, uri: str) -> bytes | None:
        """The stored bytes, or None when the file is gone."""
        ...

    def get_many(self, uris: Iterable[str]) -> Iterator[bytes | None]:
        """:meth:`get` of each URI in turn, read as the caller asks for it (a chain of 10,000 items is never held
        in memory at once)."""
        ...


class DirectoryEvidenceStore:
    """Files under one root directory, written atomically (temp file, fsync, rename).

    A URI names a file in a folder below the root; the folder's real path must lie within the root's, and the file
    itself must not be a symbolic link (the store never makes one), so no URI — a tampered row's ``../`` or a link
    planted in the vault — reads outside the store. Reading many files resolves each folder once, not each file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, uri: str, folders: dict[str, str]) -> str:
        relative = uri.removeprefix("file:")
        folder, _, name = relative.rpartition("/")
        resolved = folders.get(folder)
        if resolved is None:
            root = self.root.resolve()
            path = (root / folder).resolve()
            if not path.is_relative_to(root):
                raise ValueError(f"evidence URI {uri!r} points outside the store")
            resolved = folders[folder] = str(path)
        if name in ("", ".", ".."):
            raise ValueError(f"evidence URI {uri!r} points outside the store")
        return os.path.join(resolved, name)

    def put(self, key: str, data: bytes) -> str:
        uri = f"file:{key}"
        path = Path(self._path(uri, {}))
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
        return uri

    def get(self, uri: str) -> bytes | None:
        return next(self.get_many((uri,)))

    def get_many(self, uris: Iterable[str]) -> Iterator[bytes | None]:
        folders: dict[str, str] = {}
        for uri in uris:
            path = self._path(uri, folders)
            try:
                descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            except FileNotFoundError:
                yield None
                continue
            except OSError as error:
                if error.errno == errno.ELOOP:
                    raise ValueError(f"evidence URI {uri!r} names a symbolic link, not a stored file") from None
                raise
            with open(descriptor, "rb") as handle:
                yield handle.read()


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

    def get_many(self, uris: Iterable[str]) -> Iterator[bytes | None]:
        return (self.files.get(uri) for uri in uris)
