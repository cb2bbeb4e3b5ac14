"""Frames from cameras, checked and made ready for the detector: JPEG or PNG bytes in, a 96×96 float tensor out.

A frame that is too large, not an image, or an image bomb (huge dimensions in few bytes) is ``INVALID_FRAME``
with the reason, before anything is decoded in full. The frame's SHA-256 identifies it (an alert seals it).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, UnidentifiedImageError

from inference.backends import InferenceCode
from inference.training.scenes import SIZE
from kernel.errors import ClientError

MAX_FRAME_BYTES = 4 * 1024 * 1024
"""A 1080p JPEG is 0.2–1 MB; four is generous."""
MAX_PIXELS = 4096 * 4096
"""Dimensions beyond this are refused before decoding (a small file can declare a huge image)."""
FORMATS = frozenset({"JPEG", "PNG"})


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded frame: the detector's input, its size and the digest of the bytes received."""

    tensor: NDArray[np.float32]
    """(3, 96, 96), RGB in [0, 1]."""
    width: int
    height: int
    sha256: str


def refused(reason: str) -> ClientError:
    return ClientError(f"unreadable frame: {reason}", code=InferenceCode.INVALID_FRAME)


def decode(data: bytes) -> Frame:
    """Check and decode a camera frame; ``INVALID_FRAME`` with the reason otherwise."""
    if not data:
        raise refused("empty")
    if len(data) > MAX_FRAME_BYTES:
        raise refused(f"{len(data):,} bytes; at most {MAX_FRAME_BYTES:,}")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                raise refused(f"{image.format or 'unknown'} is not JPEG or PNG")
            if image.width * image.height > MAX_PIXELS:
                raise refused(f"{image.width}×{image.height} pixels; at most {MAX_PIXELS:,}")
            rgb = image.convert("RGB").resize((SIZE, SIZE), Image.Resampling.BILINEAR)
            width, height = image.width, image.height
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as error:
        raise refused(type(error).__name__) from None
    tensor = np.asarray(rgb, dtype=np.float32).transpose(2, 0, 1) / 255.0
    return Frame(tensor=tensor, width=width, height=height, sha256=hashlib.sha256(data).hexdigest())


def encode_png(pixels: NDArray[np.uint8]) -> bytes:
    """PNG bytes of an (H, W, 3) image (synthetic camera frames for tests and benchmarks)."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()
