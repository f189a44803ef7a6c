"""A last text pass inside the labels of a large scan: ``with_label_detail(image, detections, ...)``.

``detect`` finds lines on a working copy (800 px long side) and again at ``REFINE`` times that scale where small
text may be. On a 3744 x 5616 scan that second pass sees a label's small print (a printed ``COLLECTORS`` block,
a handwritten number beside ``No.``) about 8 px high: too small for the detector, so whole lines are never read.
This pass runs the detector once more over each label's box at ``scale`` times full resolution and adds the
lines no earlier line covers; each label's lines are then put in reading order again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np

from herbproc.sheet.detect import REFINE, Detections, TextLine
from herbproc.sheet.regions import reading_order
from herbproc.sheet.textdet import Line, TextDetector

COVERED = 0.3  # a new line this much covered by an earlier line's box is that line found again
MAX_PIXELS = 6_000_000  # a label's box is searched at a lower scale where it would be larger than this
MAX_SLANT = 30.0  # degrees: steeper "lines" inside a label are stems and rules, not text


def finer_than_detect(detections: Detections, scale: float) -> bool:
    """Whether ``scale`` (x full resolution) sees labels finer than ``detect``'s own second pass did."""
    return scale > 1.25 * detections.scale * REFINE


def with_label_detail(
    image: np.ndarray,
    detections: Detections,
    detector: TextDetector,
    *,
    kinds: Sequence[str] = ("label",),
    scale: float = 1.0,
    pixel_threshold: float = 0.3,
    line_threshold: float = 0.5,
) -> Detections:
    """``detections`` with the lines found inside its ``kinds`` regions at ``scale`` times full resolution that
    no earlier line covers; unchanged where ``scale`` is no finer than ``detect``'s own passes."""
    if not finer_than_detect(detections, scale):
        return detections
    lines = list(detections.lines)
    boxes = [t.box for t in lines]
    regions = list(detections.regions)
    for i in sorted(detections.of_kind(*kinds), key=lambda i: _area(_box(regions[i].polygon))):
        added = []
        for quad, score in _lines_in(image, _box(regions[i].polygon), detector, scale, pixel_threshold,
                                     line_threshold):  # fmt: skip
            new = TextLine(quad, score, i, detail=True)
            if not _text_like(new) or any(_covered(new.box, b) >= COVERED for b in boxes):
                continue
            added.append(len(lines))
            lines.append(new)
            boxes.append(new.box)
        if added:
            idx = list(regions[i].lines) + added
            order = reading_order([Line(t.polygon, t.score) for t in lines], idx)
            regions[i] = replace(regions[i], lines=order)
    if len(lines) == len(detections.lines):
        return detections
    return replace(detections, lines=lines, regions=regions)


def _lines_in(
    image: np.ndarray,
    box: tuple[int, int, int, int],
    detector: TextDetector,
    scale: float,
    pixel_threshold: float,
    line_threshold: float,
) -> list[tuple[np.ndarray, float]]:
    """The detector's lines inside ``box`` of ``image`` (full-resolution quads and scores)."""
    x0, y0, x1, y1 = box
    crop = image[y0:y1, x0:x1]
    if crop.size == 0:
        return []
    scale = min(scale, float(np.sqrt(MAX_PIXELS / (crop.shape[0] * crop.shape[1]))))
    size = (max(32, round(crop.shape[1] * scale)), max(32, round(crop.shape[0] * scale)))
    patch = cv2.resize(crop, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    fx, fy = crop.shape[1] / size[0], crop.shape[0] / size[1]
    found = detector.lines(patch, pixel_threshold, line_threshold)
    return [
        ((ln.quad * np.array([fx, fy]) + np.array([x0, y0])).astype(np.float32), ln.score) for ln in found
    ]


def _box(polygon: np.ndarray) -> tuple[int, int, int, int]:
    p = np.asarray(polygon)
    x0, y0 = np.floor(p.min(axis=0)).astype(int)
    x1, y1 = np.ceil(p.max(axis=0)).astype(int)
    return max(0, int(x0)), max(0, int(y0)), int(x1), int(y1)


def _area(box: tuple[int, int, int, int]) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def _covered(box: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> float:
    """The share of ``box`` inside ``other``."""
    w = min(box[2], other[2]) - max(box[0], other[0])
    h = min(box[3], other[3]) - max(box[1], other[1])
    return max(0, w) * max(0, h) / max(1, _area(box))


def _text_like(line: TextLine) -> bool:
    angle = Line(line.polygon, line.score).angle
    return abs(angle) < MAX_SLANT or abs(angle) > 180 - MAX_SLANT
