"""What every recognition engine is: text line images in, one reading per line out.

An engine takes RGB line crops (H x W x 3 uint8, text running left to right, already deskewed) and returns one
``Reading`` per crop, in the same order. ``confidence`` is the engine's own certainty in [0, 1] (the mean
character or token probability, or Tesseract's word confidence): comparable within an engine, roughly across.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np


class EngineError(RuntimeError):
    """An engine cannot run: its model or program is missing, or a setting is wrong. Told in one line."""


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float
    engine: str


class Engine(Protocol):
    name: str

    def read(self, crops: Sequence[np.ndarray]) -> list[Reading]: ...


def check_crop(crop: object) -> np.ndarray:
    """A line crop as contiguous RGB uint8; grey images get three channels, RGBA loses alpha."""
    if not isinstance(crop, np.ndarray) or crop.dtype != np.uint8 or crop.ndim not in (2, 3):
        raise ValueError(f"a line crop must be an H x W (x 3) uint8 array, got {_describe(crop)}")
    if crop.ndim == 2:
        crop = cv2.cvtColor(crop, cv2.COLOR_GRAY2RGB)
    elif crop.shape[2] == 4:
        crop = crop[:, :, :3]
    elif crop.shape[2] != 3:
        raise ValueError(f"a line crop must have 1, 3 or 4 channels, got {crop.shape[2]}")
    return np.ascontiguousarray(crop)


def usable(crop: np.ndarray) -> bool:
    """Too small to hold a character: engines answer "" without running on it."""
    return crop.shape[0] >= 4 and crop.shape[1] >= 4


def resize_to_height(crop: np.ndarray, height: int, max_width: int | None = None) -> np.ndarray:
    """Scale keeping the aspect ratio (cubic when enlarging: label scans are often small), width capped."""
    h, w = crop.shape[:2]
    width = max(1, int(round(w * height / h)))
    if max_width is not None:
        width = min(width, max_width)
    interpolation = cv2.INTER_CUBIC if height > h else cv2.INTER_AREA
    return cv2.resize(crop, (width, height), interpolation=interpolation)


def _describe(x: object) -> str:
    if isinstance(x, np.ndarray):
        return f"array {x.dtype} {x.shape}"
    return type(x).__name__
