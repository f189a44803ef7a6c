"""A last text pass inside the labels of a large scan: ``with_label_detail(image, detections, ...)``.

``detect`` finds lines on a working copy (800 px long side) and again at ``REFINE`` times that scale where small
text may be. On a 3744 x 5616 scan that second pass sees a label's small print (a printed ``COLLECTORS`` block,
a handwritten number beside ``No.``) about 8 px high: too small for the detector, so whole lines are never read.
This pass runs the detector once more over each label's box at ``scale`` times full resolution and adds the
lines no earlier line covers; each label's lines are then put in reading order again. Where no card edge was
found a label is only its text blocks, so each box is widened by ``margin`` line heights and the boxes that then
overlap are searched as one (``NO: 2647`` under a collector's line, ``46023`` beside the name).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import cv2
import numpy as np

from herbproc.sheet.detect import COARSE, REFINE, Detections, TextLine
from herbproc.sheet.regions import reading_order
from herbproc.sheet.textdet import Line, TextDetector

Found = tuple[np.ndarray, float]  # a line's full-resolution quad and its score
COVERED = 0.3  # a new line this much covered by an earlier line's box is that line found again
MAX_PIXELS = 6_000_000  # a label's box is searched at a lower scale where it would be larger than this
HELD = 0.9  # an earlier line spanned this much by a longer new one on its row is that line cut short ...
MAX_TALLER = 1.6  # ... unless one is this much taller than the other (two lines read as one)
ROW_GAP = 4.0  # a line's region: a block a row away is as far as one this many times as far along the row
EDGE = 4  # pixels: a line this near a searched box's side was cut by it
MAX_SLANT = 30.0  # degrees: steeper "lines" inside a label are stems and rules, not text
SEARCHED = 0.5  # a label's box this much inside an area of detect's second pass was seen at that pass's scale


def finer_than_detect(detections: Detections, scale: float, box: tuple[int, int, int, int] | None = None) -> bool:
    """Whether ``scale`` (x full resolution) sees the labels (the one in ``box``) finer than ``detect`` did: than
    its second pass where that searched them, else than its first pass over the whole sheet. On a mid-sized scan
    (a 1600 px lichen packet, a 2000 px GBIF image) the second pass skips a label that fills much of the sheet,
    and its first pass, at a third of full resolution, finds a line's middle only (``00`` of ``11,700 ft.``)."""
    if detections.refined is None:
        seen = REFINE
    elif box is None:  # any label: some may have been seen by the first pass only
        seen = COARSE
    else:
        seen = REFINE if any(_share_inside(box, area) >= SEARCHED for area in detections.refined) else COARSE
    return scale > 1.25 * detections.scale * seen


def _share_inside(box: tuple[int, int, int, int], area: tuple[int, int, int, int]) -> float:
    """The share of ``box``'s area that lies inside ``area``."""
    w = min(box[2], area[2]) - max(box[0], area[0])
    h = min(box[3], area[3]) - max(box[1], area[1])
    return max(0, w) * max(0, h) / max(1, (box[2] - box[0]) * (box[3] - box[1]))


def with_label_detail(
    image: np.ndarray,
    detections: Detections,
    detector: TextDetector,
    *,
    kinds: Sequence[str] = ("label",),
    scale: float = 1.0,
    pixel_threshold: float = 0.3,
    line_threshold: float = 0.5,
    margin: float = 0.0,
) -> Detections:
    """``detections`` with the lines found inside its ``kinds`` regions, each box widened by ``margin`` text-line
    heights on every side, at ``scale`` times full resolution that no earlier line covers, each given to the
    nearest region; an earlier line the pass finds whole beyond where it was cut takes the whole line's polygon.
    Unchanged where ``scale`` is no finer than ``detect``'s own passes saw the labels."""
    if not finer_than_detect(detections, scale):
        return detections
    lines = list(detections.lines)
    boxes = [t.box for t in lines]
    regions = list(detections.regions)
    own = {i: _box(regions[i].polygon) for i in detections.of_kind(*kinds)}
    todo = [
        (box, members)
        for box, members in _search_boxes(own, margin * detections.em, image.shape)
        if finer_than_detect(detections, scale, box)
    ]
    extended = False

    def search(box: tuple[int, int, int, int]) -> list[Found]:
        return _lines_in(image, box, detector, scale, pixel_threshold, line_threshold)

    for box, members in todo:
        added: dict[int, list[int]] = {}
        for quad, score in _lines_in_whole(box, image.shape[1], search):
            new = TextLine(quad, score, -1, detail=True)
            if not _text_like(new):
                continue
            if (k := _cut_short(new.box, boxes, detections.em)) is not None:
                lines[k] = replace(lines[k], polygon=new.polygon)
                boxes[k] = new.box
                extended = True
                continue
            if any(_found_again(new.box, b) for b in boxes):
                continue
            i = _nearest(new.box, members, own)
            added.setdefault(i, []).append(len(lines))
            lines.append(replace(new, region=i))
            boxes.append(new.box)
        for i, idx in added.items():
            order = reading_order([Line(t.polygon, t.score) for t in lines], list(regions[i].lines) + idx)
            regions[i] = replace(regions[i], lines=order)
    if len(lines) == len(detections.lines) and not extended:
        return detections
    return replace(detections, lines=lines, regions=regions)


def _cut_short(box: tuple[int, int, int, int], boxes: list[tuple[int, int, int, int]], em: float) -> int | None:
    """The one earlier line on ``box``'s row that ``box`` spans and runs on beyond by at least a line height: that
    line cut short where an earlier pass's search area ended ("Collected by ALFRED E. RICKSE")."""
    overlapping = [k for k, b in enumerate(boxes) if _covered(b, box) >= COVERED]
    if len(overlapping) != 1:
        return None
    k = overlapping[0]
    old = boxes[k]
    spanned = (min(old[2], box[2]) - max(old[0], box[0])) / max(1, old[2] - old[0]) >= HELD
    longer = (box[2] - box[0]) - (old[2] - old[0]) >= em
    h_old, h_new = old[3] - old[1], box[3] - box[1]
    same_row = old[1] <= (box[1] + box[3]) / 2 <= old[3] and box[1] <= (old[1] + old[3]) / 2 <= box[3]
    as_tall = max(h_old, h_new) <= MAX_TALLER * max(1, min(h_old, h_new))
    return k if spanned and longer and same_row and as_tall else None


def _lines_in_whole(
    box: tuple[int, int, int, int], width: int, lines_in: Callable[[tuple[int, int, int, int]], list[Found]]
) -> list[Found]:
    """``lines_in(box)``, searched once more with the box widened sideways where a line runs into its left or
    right edge (a widened box cuts the lines beside a label through); ``width``: the image's."""
    found = lines_in(box)
    x0, y0, x1, y1 = box
    left = x0 > 0 and any(q[:, 0].min() <= x0 + EDGE for q, _ in found)
    right = x1 < width and any(q[:, 0].max() >= x1 - EDGE for q, _ in found)
    if not (left or right):
        return found
    reach = (x1 - x0) // 2
    return lines_in((max(0, x0 - reach * left), y0, min(width, x1 + reach * right), y1))


def _lines_in(
    image: np.ndarray,
    box: tuple[int, int, int, int],
    detector: TextDetector,
    scale: float,
    pixel_threshold: float,
    line_threshold: float,
) -> list[Found]:
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


def _search_boxes(
    own: dict[int, tuple[int, int, int, int]], pad: float, shape: tuple[int, ...]
) -> list[tuple[tuple[int, int, int, int], list[int]]]:
    """The boxes searched, smallest first, each with the regions it serves: every region's own box, or, with a
    ``pad``, the boxes widened by it and those that then overlap joined into one (text between two labels' text
    blocks, a number beside a caption, belongs to the nearer one)."""
    groups = [(_widened(b, pad, shape), [i]) for i, b in own.items()]
    while pad > 0:
        pairs = ((a, b) for a in range(len(groups)) for b in range(a + 1, len(groups)))
        pair = next(((a, b) for a, b in pairs if _covered(groups[a][0], groups[b][0]) > 0), None)
        if pair is None:
            break
        box, members = groups.pop(pair[1])
        groups[pair[0]] = (_union(groups[pair[0]][0], box), groups[pair[0]][1] + members)
    return sorted(groups, key=lambda g: _area(g[0]))


def _union(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _nearest(box: tuple[int, int, int, int], members: list[int], own: dict[int, tuple[int, int, int, int]]) -> int:
    """The region whose box is nearest ``box``'s centre, a row apart counting ``ROW_GAP`` times a column apart: a
    number beside a collector's name goes with the name, not with the block below ("D. S. Correll   46023")."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2

    def gap(i: int) -> float:
        x0, y0, x1, y1 = own[i]
        return max(x0 - cx, 0.0, cx - x1) + ROW_GAP * max(y0 - cy, 0.0, cy - y1)

    return min(members, key=gap)


def _widened(box: tuple[int, int, int, int], by: float, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    pad = round(by)
    return max(0, box[0] - pad), max(0, box[1] - pad), min(shape[1], box[2] + pad), min(shape[0], box[3] + pad)


def _area(box: tuple[int, int, int, int]) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def _covered(box: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> float:
    """The share of ``box`` inside ``other``."""
    w = min(box[2], other[2]) - max(box[0], other[0])
    h = min(box[3], other[3]) - max(box[1], other[1])
    return max(0, w) * max(0, h) / max(1, _area(box))


def _found_again(box: tuple[int, int, int, int], earlier: tuple[int, int, int, int]) -> bool:
    """``box`` is the ``earlier`` line found again: ``COVERED`` of it inside, its middle on that line's row. Rows
    set close (a collectors' block of three names in small capitals) overlap by a third of a line as the
    detector grows its boxes, each middle outside the other's box: three lines, not one found thrice."""
    middle = (box[1] + box[3]) / 2
    return _covered(box, earlier) >= COVERED and earlier[1] <= middle <= earlier[3]


def _text_like(line: TextLine) -> bool:
    angle = Line(line.polygon, line.score).angle
    return abs(angle) < MAX_SLANT or abs(angle) > 180 - MAX_SLANT
