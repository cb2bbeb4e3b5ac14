"""Text from outside, checked in one place: no control characters, no bidirectional overrides, no invisible-only
values; what is kept is normalised to NFC, so that the same name is stored the same way whoever typed it."""

from __future__ import annotations

import unicodedata

from kernel.errors import ClientError, Code

_ALLOWED_CONTROLS = frozenset("\t\n")
"""Tab and line feed: multi-line reasons and findings are text too (a CR is folded into LF)."""
_BIDI_CONTROLS = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
"""LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI: they reorder what an officer reads (CVE-2021-42574)."""
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
"""Zero-width space, non-joiner, joiner, word joiner, byte-order mark."""


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def clean_text(value: str, *, field: str = "text") -> str:
    """``value`` in NFC with CRLF/CR as LF; ``INVALID_TEXT`` naming the first offending character and its position."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    for position, char in enumerate(text, start=1):
        code = ord(char)
        control = (code < 0x20 or 0x7F <= code <= 0x9F) and char not in _ALLOWED_CONTROLS
        if control or char in _BIDI_CONTROLS:
            raise ClientError(
                f"{field} holds {_describe(char)} at position {position}; remove it",
                code=Code.INVALID_TEXT,
                details={"position": position},
            )
    if text.strip() and not "".join(char for char in text if char not in _INVISIBLE).strip():
        raise ClientError(f"{field} holds only invisible characters", code=Code.INVALID_TEXT)
    return unicodedata.normalize("NFC", text)
