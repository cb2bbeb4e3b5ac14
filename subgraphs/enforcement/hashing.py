"""Content digests for the evidence chain: SHA-256, or SM3 (GB/T 32905-2016) where the bureau requires 国密.

SM3 comes from OpenSSL through ``hashlib`` where the linked OpenSSL provides it (1.1.1 and later do, unless built
without it), else from ``gmssl`` (a maintained pure-Python implementation, about 8 ms per KiB); the tests check
both against the standard's own test vectors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from gmssl import func, sm3

from subgraphs.enforcement.vocabulary import HashAlgorithm


def sm3_pure(data: bytes) -> str:
    """SM3 in pure Python (``gmssl``)."""
    return str(sm3.sm3_hash(func.bytes_to_list(data)))


def sm3_openssl(data: bytes) -> str:
    """SM3 in OpenSSL (``hashlib``)."""
    return hashlib.new("sm3", data).hexdigest()


def _fastest_sm3() -> Callable[[bytes], str]:
    try:
        hashlib.new("sm3")
    except ValueError:  # an OpenSSL without SM3
        return sm3_pure
    return sm3_openssl


_SM3 = _fastest_sm3()


def digest(algorithm: HashAlgorithm, data: bytes) -> str:
    """The lowercase hex digest of ``data`` (64 characters for both algorithms)."""
    if algorithm is HashAlgorithm.SM3:
        return _SM3(data)
    return hashlib.sha256(data).hexdigest()
