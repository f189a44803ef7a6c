"""Random streams derived from (seed, purpose, index) only, so any process renders any sheet identically."""

from __future__ import annotations

import random
import zlib

import numpy as np


def _entropy(seed: int, stream: str, index: int) -> list[int]:
    if seed < 0 or index < 0:
        raise ValueError(f"seed and index must be >= 0 (got seed={seed}, index={index})")
    # crc32 rather than hash(): str hashes change from one process to the next
    return [seed & 0xFFFFFFFF, seed >> 32, zlib.crc32(stream.encode("utf-8")), index]


def numpy_rng(seed: int, stream: str, index: int = 0) -> np.random.Generator:
    """A NumPy generator for arrays (noise, textures)."""
    return np.random.default_rng(np.random.SeedSequence(_entropy(seed, stream, index)))


def py_rng(seed: int, stream: str, index: int = 0) -> random.Random:
    """A ``random.Random`` for the many small choices (cheaper per call than NumPy)."""
    words = np.random.SeedSequence(_entropy(seed, stream, index)).generate_state(4, dtype=np.uint32)
    return random.Random(int.from_bytes(words.astype("<u4").tobytes(), "little"))
