"""Synthetic kitchen scenes with labels, drawn with NumPy from a seed: the project's own training data.

A scene is a 96×96 RGB frame of a tiled kitchen: zero to two workers (head, torso, arms) who may lack a hat or a
mask, wear no uniform or no shirt, hold a phone or a cigarette; a bin with or without its lid; sometimes a rodent
on the floor. The label is a 6×6 map per detector channel (``inference.taxonomy.CHANNELS``): 1 in the cell that
holds the centre of the thing. Every draw comes from one ``numpy.random.Generator``, so a seed gives the same set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from inference.taxonomy import CHANNELS

SIZE = 96
GRID = 6
CELL = SIZE // GRID
Image = NDArray[np.uint8]
Labels = NDArray[np.float32]

_SKIN = ((224, 172, 140), (198, 142, 110), (241, 194, 160), (170, 120, 90))
_SHIRTS = ((200, 40, 40), (40, 90, 180), (60, 140, 60), (120, 60, 140), (30, 30, 30), (210, 150, 30))
_CHANNEL = {name: index for index, name in enumerate(CHANNELS)}


@dataclass(frozen=True, slots=True)
class Scene:
    image: Image
    labels: Labels


class _Canvas:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.pixels = np.zeros((SIZE, SIZE, 3), dtype=np.float32)
        self.labels = np.zeros((len(CHANNELS), GRID, GRID), dtype=np.float32)
        self._y, self._x = np.mgrid[0:SIZE, 0:SIZE]

    def rect(self, top: float, left: float, height: float, width: float, color: tuple[float, ...]) -> None:
        t, l_ = round(top), round(left)
        b, r = round(top + height), round(left + width)
        self.pixels[max(t, 0) : max(min(b, SIZE), 0), max(l_, 0) : max(min(r, SIZE), 0)] = color

    def ellipse(self, cy: float, cx: float, ry: float, rx: float, color: tuple[float, ...]) -> None:
        mask = ((self._y - cy) / ry) ** 2 + ((self._x - cx) / rx) ** 2 <= 1.0
        self.pixels[mask] = color

    def line(self, y0: float, x0: float, y1: float, x1: float, width: float, color: tuple[float, ...]) -> None:
        steps = int(max(abs(y1 - y0), abs(x1 - x0)) * 2) + 1
        for t in np.linspace(0.0, 1.0, steps):
            self.ellipse(y0 + (y1 - y0) * t, x0 + (x1 - x0) * t, width / 2, width / 2, color)

    def label(self, channel: str, y: float, x: float) -> None:
        row = min(max(int(y // CELL), 0), GRID - 1)
        column = min(max(int(x // CELL), 0), GRID - 1)
        self.labels[_CHANNEL[channel], row, column] = 1.0

    def jitter(self, color: tuple[int, ...], spread: float = 18.0) -> tuple[float, ...]:
        return tuple(float(np.clip(c + self.rng.normal(0, spread), 0, 255)) for c in color)


def _background(canvas: _Canvas) -> None:
    rng = canvas.rng
    wall = canvas.jitter((205, 205, 195), 25)
    canvas.pixels[:] = wall
    tile = int(rng.integers(10, 16))
    grout = tuple(c * 0.82 for c in wall)
    canvas.pixels[::tile, :] = grout
    canvas.pixels[:, ::tile] = grout
    counter_top = float(rng.uniform(60, 70))
    canvas.rect(counter_top, 0, SIZE, SIZE, canvas.jitter((140, 140, 150), 20))  # steel counter and floor


def _bin(canvas: _Canvas) -> None:
    rng = canvas.rng
    left, top = float(rng.uniform(2, SIZE - 20)), float(rng.uniform(66, 76))
    body = canvas.jitter((60, 120, 70), 30)
    canvas.rect(top, left, 18, 15, body)
    if rng.random() < 0.5:  # lid on
        canvas.rect(top - 3, left - 1, 3, 17, tuple(c * 0.6 for c in body))
    else:  # open: the dark inside shows
        canvas.ellipse(top + 1, left + 7.5, 2.2, 7, (25, 25, 20))
        canvas.label("OPEN_BIN", top + 6, left + 7.5)


def _rodent(canvas: _Canvas) -> None:
    rng = canvas.rng
    cy, cx = float(rng.uniform(78, 92)), float(rng.uniform(8, SIZE - 8))
    grey = canvas.jitter((95, 88, 80), 12)
    canvas.ellipse(cy, cx, 2.6, 5, grey)
    canvas.ellipse(cy - 1.5, cx + 4.5 if rng.random() < 0.5 else cx - 4.5, 1.8, 2, grey)
    direction = -1 if rng.random() < 0.5 else 1
    canvas.line(cy + 1, cx - direction * 5, cy + 3, cx - direction * 11, 1.0, grey)
    canvas.label("RODENT", cy, cx)


def _worker(canvas: _Canvas, cx: float) -> None:
    rng = canvas.rng
    head_y = float(rng.uniform(16, 30))
    skin = canvas.jitter(_SKIN[int(rng.integers(len(_SKIN)))], 8)
    torso_top = head_y + 7
    clothing = float(rng.random())
    if clothing < 0.55:
        torso, shirt = canvas.jitter((245, 245, 245), 6), "uniform"
    elif clothing < 0.67:
        torso, shirt = skin, "bare"
    else:
        torso, shirt = canvas.jitter(_SHIRTS[int(rng.integers(len(_SHIRTS)))], 15), "other"
    canvas.rect(torso_top, cx - 8, 24, 16, torso)
    hand_side = -1 if rng.random() < 0.5 else 1
    hand_y, hand_x = torso_top + float(rng.uniform(6, 16)), cx + hand_side * 13
    sleeve = torso if shirt != "bare" else skin
    canvas.line(torso_top + 2, cx + hand_side * 8, hand_y, hand_x, 3.0, sleeve)
    canvas.line(torso_top + 2, cx - hand_side * 8, torso_top + 18, cx - hand_side * 11, 3.0, sleeve)
    canvas.ellipse(hand_y, hand_x, 2, 2, skin)
    canvas.ellipse(head_y, cx, 6.5, 5.5, skin)
    canvas.ellipse(head_y - 1, cx - 2, 0.8, 0.8, (30, 30, 30))
    canvas.ellipse(head_y - 1, cx + 2, 0.8, 0.8, (30, 30, 30))
    if rng.random() < 0.5:  # the chef's hat
        canvas.rect(head_y - 12, cx - 5.5, 7, 11, (250, 250, 250))
        canvas.ellipse(head_y - 12, cx, 3, 6, (250, 250, 250))
    else:
        canvas.ellipse(head_y - 5, cx, 2.5, 5.5, canvas.jitter((40, 30, 25), 10))  # hair
        canvas.label("NO_HAT", head_y, cx)
    masked = rng.random() < 0.5
    if masked:
        canvas.rect(head_y + 1, cx - 5, 5, 10, canvas.jitter((150, 200, 230), 10))
    else:
        canvas.label("NO_MASK", head_y, cx)
        if rng.random() < 0.25:  # a cigarette with its glowing tip
            canvas.line(head_y + 3, cx + 1, head_y + 4, cx + 8, 1.2, (245, 245, 240))
            canvas.ellipse(head_y + 4, cx + 8.5, 1.1, 1.1, (255, 110, 20))
            canvas.label("SMOKING", head_y + 3, cx + 3)
    if rng.random() < 0.25:  # a phone in the hand
        canvas.rect(hand_y - 5, hand_x - 2, 8, 4.5, (15, 15, 20))
        canvas.rect(hand_y - 4, hand_x - 1.3, 5.5, 3, (70, 110, 170))
        canvas.label("PHONE", hand_y - 1, hand_x)
    if shirt == "bare":
        canvas.label("BARE_CHESTED", torso_top + 10, cx)
    elif shirt == "other":
        canvas.label("NO_UNIFORM", torso_top + 10, cx)
    canvas.label("PERSON", torso_top + 8, cx)


def scene(rng: np.random.Generator) -> Scene:
    """One random kitchen frame and its label maps."""
    canvas = _Canvas(rng)
    _background(canvas)
    if rng.random() < 0.55:
        _bin(canvas)
    workers = int(rng.choice((0, 1, 1, 1, 2, 2)))
    centres = [float(rng.uniform(16, 40)), float(rng.uniform(56, 80))] if workers == 2 else [float(rng.uniform(16, 80))]
    for cx in centres[:workers]:
        _worker(canvas, cx)
    if rng.random() < 0.3:
        _rodent(canvas)
    pixels = canvas.pixels * float(rng.uniform(0.7, 1.15)) + rng.normal(0, 6, canvas.pixels.shape)
    return Scene(np.clip(pixels, 0, 255).astype(np.uint8), canvas.labels)


def scenes(count: int, seed: int) -> tuple[NDArray[np.uint8], Labels]:
    """``count`` frames (N, 96, 96, 3) and labels (N, channels, 6, 6) from ``seed``."""
    rng = np.random.default_rng(seed)
    drawn = [scene(rng) for _ in range(count)]
    return np.stack([s.image for s in drawn]), np.stack([s.labels for s in drawn])
