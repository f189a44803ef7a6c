"""Names printed one over another, a brace after them and one caption beside them all, read row by row.

Printed labels of expeditions set a party of two or three collectors in small capitals one over another, a brace
after them and the caption beside it: ``N. L. BRITTON / ARTHUR HOLLICK } COLLECTORS``. The detector sees one line
of twice the height; given it whole the recogniser reads a few letters of each row (``D.J.CAER OLLECTORS``).
The names' part of the crop holds bands of ink with a clear row between them and the brace reaches across them
all; cut there, each name and the caption read as lines of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

# a reading that ends on a collectors' caption after something else (the names, merged): "D.J.CAER OLLECTORS"
CAPTION_AFTER_TEXT = re.compile(r"\S.*?\b(?:C?OLLECT[O0]RS?|C?ollect[o0]rs?)\W*$")
NAMES_PART = 0.3  # the names fill at least this share of the crop's width from its left
MIN_BAND = 0.1  # a row of print is at least this share of the crop's height
SAME_HEIGHT = 0.6  # the rows' heights differ by less than this ratio
MAX_ROWS = 3  # a party of two or three
BAND_INK = 0.12  # a pixel row belongs to a band when it holds this share of a full row's ink (its 75th percentile)
BRACE_REACH = 0.7  # a brace spans this share of the two rows' height at least, from the first row to the second
BRACE_WIDTH = 0.6  # a brace (or a piece of it) is at most this wide for its height


@dataclass(frozen=True)
class StackedRows:
    """Where a line crop parts: the rows of names (top and bottom pixel rows of each, left of the brace) and the
    caption (right of it)."""

    rows: tuple[tuple[int, int], ...]
    names_end: int  # the brace's left edge
    caption_start: int  # its right edge

    def crops(self, crop: np.ndarray) -> list[np.ndarray]:
        """Each name's crop, top to bottom, with a margin of paper (halfway to the next row), then the caption's."""
        pad = max(2, (self.rows[0][1] - self.rows[0][0]) // 3)
        cuts = [max(0, self.rows[0][0] - pad)]
        cuts += [(above[1] + below[0]) // 2 for above, below in zip(self.rows, self.rows[1:], strict=False)]
        cuts.append(min(crop.shape[0], self.rows[-1][1] + pad))
        names = [crop[a:b, : self.names_end] for a, b in zip(cuts, cuts[1:], strict=False)]
        return [*names, crop[:, self.caption_start :]]


def names_beside_caption(text: str) -> bool:
    """A reading of a line that ends on a collectors' caption with something before it."""
    return CAPTION_AFTER_TEXT.search(text.strip()) is not None


def caption_read(text: str) -> bool:
    """The caption's part read alone says "collectors", two letters off at most ("COLLETTORS", "OLLECTOR8"; not a
    collection's caption)."""
    letters = re.sub(r"[^a-z0-9]", "", text.lower())
    near = min(Levenshtein.distance(letters, word) for word in ("collectors", "collector")) <= 2
    return near and not letters.startswith("collection")


def stacked_rows(crop: np.ndarray) -> StackedRows | None:
    """How ``crop`` (H x W x 3 uint8) parts into two or three rows of names and a caption after a brace; None
    when its left part is not such rows of print or no brace reaches across them."""
    if crop.ndim != 3 or crop.shape[0] < 16 or crop.shape[1] < 32:
        return None
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    otsu, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    h, w = ink.shape
    rows = _bands(ink[:, : int(NAMES_PART * w)].sum(axis=1), h)
    heights = [b - a for a, b in rows]
    if not 2 <= len(rows) <= MAX_ROWS or min(heights) / max(heights) < SAME_HEIGHT:
        return None
    # a brace is printed thin and faint: its strokes are looked for halfway between the ink's and the paper's grey
    faint = (grey < (otsu + np.percentile(grey, 90)) / 2).astype(np.uint8)
    brace = _brace(faint, rows[0], rows[-1], w)
    if brace is None or w - brace[1] < rows[-1][1] - rows[0][0]:
        return None  # (no room after the brace for a caption's word)
    return StackedRows(tuple(rows), brace[0], brace[1])


def _bands(profile: np.ndarray, h: int) -> list[tuple[int, int]]:
    """The runs of pixel rows that hold print (at least ``MIN_BAND`` of the height each), top to bottom."""
    inked = profile[profile > 0]
    if inked.size == 0:
        return []
    on = profile > BAND_INK * np.percentile(inked, 75)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
    runs = list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
    return [(a, b) for a, b in runs if b - a >= MIN_BAND * h]


def _brace(
    faint: np.ndarray, top: tuple[int, int], bottom: tuple[int, int], w: int
) -> tuple[int, int] | None:
    """The left and right edges of the leftmost brace right of the names: thin strokes, one over another in a
    narrow column (a faint brace breaks at its waist), reaching from the first row into the last."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(faint, connectivity=8)
    span = bottom[1] - top[0]
    left, topmost, width, height = (stats[:, k] for k in (cv2.CC_STAT_LEFT, cv2.CC_STAT_TOP, cv2.CC_STAT_WIDTH,
                                                             cv2.CC_STAT_HEIGHT))  # fmt: skip
    strokes = [
        i for i in range(1, n)
        if height[i] >= 0.2 * span and width[i] <= BRACE_WIDTH * height[i] and NAMES_PART * w <= left[i] <= 0.85 * w
    ]  # fmt: skip
    found: tuple[int, int] | None = None
    for i in strokes:
        centre = left[i] + width[i] / 2
        column = [j for j in strokes if abs(left[j] + width[j] / 2 - centre) <= 0.15 * span]
        upper = min(topmost[j] for j in column)
        lower = max(topmost[j] + height[j] for j in column)
        if upper <= top[1] and lower >= bottom[0] and lower - upper >= BRACE_REACH * span:
            edges = (int(min(left[j] for j in column)), int(max(left[j] + width[j] for j in column)))
            if found is None or edges[0] < found[0]:
                found = edges
    return found


def joined_reading(names: list[str], caption: str) -> str:
    """The line's text from its parts' readings: the names as a list, then the caption (the word it was read as,
    :func:`caption_read`, spelt right). Small capitals read as small letters are written as the capitals the
    caption beside them shows."""
    names = [t.strip(" '\"~`!|)}]") for t in names]
    upper = sum(c.isupper() for c in caption) > sum(c.islower() for c in caption)
    if upper:
        names = [t.upper() for t in names]
    return f"{' & '.join(names)} {'COLLECTORS' if upper else 'Collectors'}"
