"""Content digests for the evidence chain: SHA-256, or SM3 (GB/T 32905-2016) where the bureau requires 国密.

SM3 comes from ``gmssl`` (a maintained pure-Python implementation); the tests check it against the standard's
own test vectors.
"""

from __future__ import annotations

import hashlib

from gmssl import func, sm3

from subgraphs.enforcement.vocabulary import HashAlgorithm


def digest(algorithm: HashAlgorithm, data: bytes) -> str:
    """The lowercase hex digest of ``data`` (64 characters for both algorithms)."""
    if algorithm is HashAlgorithm.SM3:
        return str(sm3.sm3_hash(func.bytes_to_list(data)))
    return hashlib.sha256(data).hexdigest()
