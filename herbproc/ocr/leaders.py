"""A printed form's dotted leaders taken out of a line's crop before it is read again.

Old labels are printed forms: ``Loc.........`` with the place typed on the dots. The recogniser reads the dots
as full stops among the letters and loses letters to them (``Loc....e...ae...Luce....o`` for ``Loc. Pike Lake,
Luce Co``). A leader is a run of three or more small dots on one row with nothing else between them; painting
those with the paper's colour leaves the typed text, its own full stops (between letters) kept.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

# what a reading of a line typed on a leader shows: dots or underscores in a row, then more words (a caption's
# blank left empty, "Loc...", is no place to read again: there the reading keeps the caption's stops)
LEADER_READ = re.compile(r"\.{3}|(?:\.\s?){3}|…|_{3}")
DOT_SIZE = 0.15  # a dot is at most this share of the crop's height wide and tall
SAME_ROW = 0.08  # dots whose centres lie this share of the crop's height apart, up and down, are on one row
MIN_DOTS = 3  # dots in a run that make a row a leader's; then runs of two (a word's gap) and lone dots clear of
CLEAR = 0.2  # the letters by this share of the crop's height on both sides go with it


def typed_on_leader(text: str) -> bool:
    """A reading shows a leader's dots (or underscores) with words typed on or after them (the first leader's
    end is the earliest: what follows any leader follows it; searched so, a long row of dots takes linear time)."""
    leader = LEADER_READ.search(text)
    return leader is not None and re.search(r"\w", text[leader.end() :]) is not None


def without_leaders(crop: np.ndarray) -> tuple[np.ndarray, int]:
    """``crop`` (H x W x 3 uint8) with its leaders' dots painted over in the paper's colour, and how many dots
    were painted."""
    if crop.ndim != 3 or crop.shape[0] < 8 or crop.shape[1] < 8:
        return crop, 0
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h = crop.shape[0]
    limit = DOT_SIZE * h
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    dots = [i for i in range(1, n) if widths[i] <= limit and heights[i] <= limit and stats[i, cv2.CC_STAT_AREA] >= 2]
    others = [i for i in range(1, n) if i not in set(dots)]
    boxes = [
        (stats[i, cv2.CC_STAT_LEFT], stats[i, cv2.CC_STAT_TOP], stats[i, cv2.CC_STAT_LEFT] + widths[i],
         stats[i, cv2.CC_STAT_TOP] + heights[i])
        for i in others
    ]  # fmt: skip
    leaders: list[int] = []
    for row in _rows(dots, centres, SAME_ROW * h):
        row.sort(key=lambda i: centres[i][0])
        y = float(np.mean([centres[i][1] for i in row]))
        # what stands on the dots' row: letters above it (typed on the leader) do not part its dots
        spans = [(x0, x1) for x0, y0, x1, y1 in boxes if y0 <= y + limit / 2 and y - limit / 2 <= y1]
        runs = _runs(row, centres, spans)
        if max(len(r) for r in runs) < MIN_DOTS:
            continue  # full stops and the dots of i's: no leader on this row
        for run in runs:
            if len(run) > 1 or _clear(stats[run[0]], spans, CLEAR * h):
                leaders += run  # a dot alone in a word's gap too; not a full stop against its letter
    if not leaders:
        return crop, 0
    paper = np.median(crop[ink == 0], axis=0) if (ink == 0).any() else np.array([255, 255, 255])
    out = crop.copy()
    mask = np.isin(labels, leaders)
    mask = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)  # their anti-aliased rims
    out[mask] = paper.astype(np.uint8)
    return out, len(leaders)


def _runs(row: list[int], centres: np.ndarray, spans: list[tuple[int, int]]) -> list[list[int]]:
    """A row's dots (left to right) in runs that nothing else stands between."""
    runs = [[row[0]]]
    for a, b in zip(row, row[1:], strict=False):
        xa, xb = centres[a][0], centres[b][0]
        if any(x0 < xb and xa < x1 for x0, x1 in spans):
            runs.append([b])
        else:
            runs[-1].append(b)
    return runs


def _clear(stat: np.ndarray, spans: list[tuple[int, int]], gap: float) -> bool:
    """A dot stands at least ``gap`` from everything else on both sides."""
    x0 = stat[cv2.CC_STAT_LEFT]
    x1 = x0 + stat[cv2.CC_STAT_WIDTH]
    return not any(a - gap < x1 and x0 < b + gap for a, b in spans)


def _rows(dots: list[int], centres: np.ndarray, tolerance: float) -> list[list[int]]:
    """The dots grouped into rows: each joins the row whose first dot's centre is within ``tolerance`` up or down."""
    rows: list[list[int]] = []
    for i in sorted(dots, key=lambda i: centres[i][1]):
        if rows and abs(centres[i][1] - centres[rows[-1][0]][1]) <= tolerance:
            rows[-1].append(i)
        else:
            rows.append([i])
    return rows
