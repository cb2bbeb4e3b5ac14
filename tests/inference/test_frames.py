"""Camera frames are checked before they are decoded in full: bad input is INVALID_FRAME with the reason."""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pytest
from PIL import Image

from inference.frames import MAX_FRAME_BYTES, decode, encode_png
from kernel.errors import ClientError

PIXELS = np.full((120, 160, 3), (200, 180, 160), dtype=np.uint8)


def jpeg(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def blank_png(width: int, height: int) -> bytes:
    """A PNG of a huge blank image: a few kilobytes that would decode to hundreds of megabytes."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


BOMB = blank_png(5_000, 5_000)


@pytest.mark.parametrize("data", [encode_png(PIXELS), jpeg(PIXELS)], ids=["png", "jpeg"])
def test_a_frame_becomes_the_detectors_input_with_its_digest(data: bytes) -> None:
    frame = decode(data)
    assert frame.tensor.shape == (3, 96, 96) and frame.tensor.dtype == np.float32
    assert (frame.width, frame.height) == (160, 120)
    assert 0.6 < float(frame.tensor[0].mean()) < 0.9
    assert frame.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"not an image at all", "UnidentifiedImageError"),
        (b"\x00" * (MAX_FRAME_BYTES + 1), "at most"),
        (encode_png(PIXELS)[:60], "OSError"),  # truncated
        (BOMB, "5000×5000 pixels; at most"),
    ],
    ids=["empty", "garbage", "oversized", "truncated", "bomb"],
)
def test_bad_frames_are_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ClientError) as refused:
        decode(data)
    assert refused.value.code == "INVALID_FRAME"
    assert reason in refused.value.message


def test_only_jpeg_and_png_are_frames() -> None:
    buffer = io.BytesIO()
    Image.fromarray(PIXELS).save(buffer, format="GIF")
    with pytest.raises(ClientError, match="GIF is not JPEG or PNG"):
        decode(buffer.getvalue())
