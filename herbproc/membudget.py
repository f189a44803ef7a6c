"""Decode memory bounded by bytes: what an image needs once decoded, and a budget decode threads share.

A PNG of a few hundred kB can declare 100 megapixels with an alpha channel and need gigabytes while it is
decoded and converted; several decode threads doing that at once get the job killed by the scheduler's memory
limit (and a killed process journals nothing). Pixels alone say too little: the bound is width x height x
bytes per pixel (channels, depth, conversion copies), summed over the threads decoding at the same time.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

ALPHA_MODES = ("RGBA", "LA", "PA", "RGBa", "La")
WIDE_MODES = {"I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2, "I": 4, "F": 4}


def decode_bytes(width: int, height: int, mode: str, bands: int = 3, transparency: bool = False) -> int:
    """Peak bytes to decode an image of ``mode`` and turn it into 8-bit RGB (the conversions in between
    included: alpha is composited over white through two RGBA copies, 16-bit data goes through float64)."""
    px = int(width) * int(height)
    decoded = px * max(1, int(bands)) * WIDE_MODES.get(mode, 1)
    if mode in ALPHA_MODES or transparency:
        return decoded + px * (4 * 3 + 3)
    if mode in WIDE_MODES:
        return decoded + px * (8 + 3 + 3)
    return decoded + px * 3


class MemoryBudget:
    """``total`` bytes shared by the threads of one process; ``hold(n)`` waits until ``n`` bytes are free."""

    def __init__(self, total: int):
        self.total = int(total)
        self.used = 0
        self._cond = threading.Condition()

    def fits(self, n: int) -> bool:
        return n <= self.total

    @contextlib.contextmanager
    def hold(self, n: int) -> Iterator[None]:
        if not self.fits(n):
            raise ValueError(f"{n} bytes is more than the whole budget of {self.total} bytes")
        with self._cond:
            self._cond.wait_for(lambda: self.used + n <= self.total)
            self.used += n
        try:
            yield
        finally:
            with self._cond:
                self.used -= n
                self._cond.notify_all()


def decode_limit(cfg) -> int:
    """The most bytes one decode may take in a stage that decodes one sheet at a time (mask, OCR): half of
    ``stage.mem_gb``; the rest is for the model, the masking and Python."""
    return int(float(cfg.stage.mem_gb) * 1e9 / 2)


def gb(n: float) -> str:
    return f"{n / 1e9:.2f} GB"
