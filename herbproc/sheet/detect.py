"""``detect(image, settings) -> Detections``: the regions of a sheet that carry text or institution marks, and its
text lines, in full-resolution pixel coordinates. The OCR stage reuses this (``Detections.label_lines``).

Work happens on a copy whose long side is ``settings.work_side``:

1. the paper model and the object map (``herbproc.sheet.paper``);
2. PP-OCR text lines over the whole copy, then again at ``REFINE`` times the scale inside the areas that may
   hold small text (cards, blocks of lines, clusters of letter-sized ink), replacing the coarse lines there;
3. shapes (rectangles, card shadows, stamp rings, bar patterns) joined with the lines into regions
   (``herbproc.sheet.regions``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from herbproc.schema.mask import Settings
from herbproc.sheet.paper import Paper, analyse, ink, paperlike
from herbproc.sheet.regions import CONTAINERS, Region, card_sized, find_regions
from herbproc.sheet.shapes import Shape, find_shapes
from herbproc.sheet.textdet import Line, TextDetector, get_detector

COARSE = 0.6  # scale of the first text pass over the whole sheet, relative to the working copy
REFINE = 2.0  # scale of the second text pass, relative to the working copy
MAX_LINE_HEIGHT = 0.08  # share of the sheet's long side no text line reaches
DEFAULT_EM = 0.009  # typical text-line height as a share of the sheet's long side, when no lines tell
UPRIGHT_LENGTH = 5.0  # an upright line of print is at least this many times as long as it is tall
MAX_REFINE_SHARE = 0.4  # at most this share of the sheet is searched again at the finer scale
FORMAT_VERSION = 1


@dataclass
class TextLine:
    polygon: (
        np.ndarray
    )  # 4 x 2 float32, full-resolution pixels: top-left, top-right, bottom-right, bottom-left
    score: float
    region: int = -1  # index into Detections.regions (-1: none)
    detail: bool = False  # found by the last pass over a label (herbproc.sheet.detail)

    @property
    def box(self) -> tuple[int, int, int, int]:
        x0, y0 = np.floor(self.polygon.min(axis=0))
        x1, y1 = np.ceil(self.polygon.max(axis=0))
        return int(x0), int(y0), int(x1), int(y1)


@dataclass
class Detections:
    """What ``detect`` found on one sheet (full-resolution pixel coordinates)."""

    width: int
    height: int
    scale: float  # working-copy pixels per full-resolution pixel
    em: float  # typical text-line height, full-resolution pixels
    regions: list[Region] = field(default_factory=list)  # Region.lines: indices into ``lines``, reading order
    lines: list[TextLine] = field(default_factory=list)
    work: dict[str, Any] = field(default_factory=dict)  # working-copy artefacts for the mask (not serialised)
    # full-resolution boxes the second pass searched at REFINE times the working scale; None: not known (a
    # detection saved before this was recorded, or made by hand): taken as the whole sheet
    refined: list[tuple[int, int, int, int]] | None = None

    def of_kind(self, *kinds: str) -> list[int]:
        return [i for i, r in enumerate(self.regions) if r.kind in kinds]

    def label_lines(self) -> list[tuple[Region, list[TextLine]]]:
        """Every label region with its text lines in reading order: what the OCR stage reads."""
        return [
            (self.regions[i], [self.lines[k] for k in self.regions[i].lines]) for i in self.of_kind("label")
        ]

    def to_json(self) -> dict[str, Any]:
        rnd = lambda p: np.round(np.asarray(p, np.float64), 1).tolist()  # noqa: E731
        return {
            "version": FORMAT_VERSION,
            "width": self.width,
            "height": self.height,
            "scale": round(self.scale, 6),
            "em": round(self.em, 2),
            "regions": [
                {
                    "kind": r.kind,
                    "polygon": rnd(r.polygon),
                    "score": round(r.score, 3),
                    "lines": list(r.lines),
                    "source": r.source,
                }  # fmt: skip
                for r in self.regions
            ],
            "lines": [
                {"polygon": rnd(t.polygon), "score": round(t.score, 3), "region": t.region}
                for t in self.lines
            ],
            **({"refined": [list(b) for b in self.refined]} if self.refined is not None else {}),
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), separators=(",", ":"))

    @classmethod
    def from_json(cls, d: dict[str, Any] | str) -> Detections:
        if isinstance(d, str):
            d = json.loads(d)
        regions = [
            Region(r["kind"], np.asarray(r["polygon"], np.float32), float(r["score"]), list(r["lines"]), r.get("source", ""))
            for r in d["regions"]
        ]  # fmt: skip
        lines = [
            TextLine(np.asarray(t["polygon"], np.float32), float(t["score"]), int(t["region"]))
            for t in d["lines"]
        ]
        refined = [tuple(int(v) for v in b) for b in d["refined"]] if "refined" in d else None
        return cls(
            int(d["width"]), int(d["height"]), float(d["scale"]), float(d["em"]), regions, lines, refined=refined
        )


def working_copy(image: np.ndarray, work_side: int) -> tuple[np.ndarray, float]:
    """``image`` scaled so that its long side is ``work_side`` pixels, and the scale used."""
    h, w = image.shape[:2]
    scale = work_side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(image, size, interpolation=interp), scale


def detect(
    image: np.ndarray, settings: Settings | None = None, detector: TextDetector | None = None
) -> Detections:
    """Regions and text lines of ``image`` (H x W x 3 uint8 RGB, full resolution)."""
    s = settings or Settings()
    check_image(image)
    det = detector or get_detector(max(1, int(s.threads)))
    work, scale = working_copy(image, int(s.work_side))
    paper = analyse(work)
    coarse = _coarse_lines(work, det, s)
    em = _em(coarse, work.shape)
    shapes = find_shapes(paper, em)
    # the fine pass is for text too small for the coarse one, so its letter clusters are sized on a small line
    # height: on small scans the coarse pass runs neighbouring lines together into blobs up to twice too tall,
    # and clusters sized on those swallow the plant and the labels into one box too large to search again
    areas = refine_areas(paper, coarse, shapes, min(em, DEFAULT_EM * max(work.shape[:2])))
    lines = [ln for ln in coarse if not any(_in_box(ln.centre, a) for a in areas)]
    for area in areas:
        lines.extend(_fine_lines(image, scale, area, det, s))
    lines = plausible_lines(without_repeats(lines), shapes, _em(lines, work.shape), paper)
    em = _em(lines, work.shape)
    regions = find_regions(work, paper, shapes, lines, em, image, scale)
    out = _to_full(image.shape, scale, em, regions, lines, work, paper)
    out.refined = [_full_box(a, scale, image.shape) for a in areas]
    return out


def _coarse_lines(work: np.ndarray, det: TextDetector, s: Settings) -> list[Line]:
    """The first text pass, over the whole sheet at COARSE times the working scale: it finds the larger text and
    points the fine pass at it (small text is found through ink clusters and cards)."""
    h, w = work.shape[:2]
    small = cv2.resize(
        work, (max(32, round(w * COARSE)), max(32, round(h * COARSE))), interpolation=cv2.INTER_AREA
    )
    fx, fy = w / small.shape[1], h / small.shape[0]
    out = []
    for ln in det.lines(small, s.pixel_threshold, s.line_threshold):
        if ln.height <= MAX_LINE_HEIGHT * max(small.shape[:2]):  # not a whole page taken for one "line"
            out.append(Line((ln.quad * np.array([fx, fy], np.float32)).astype(np.float32), ln.score))
    return out


def check_image(image: np.ndarray) -> None:
    if not isinstance(image, np.ndarray) or image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        got = f"{image.dtype} {image.shape}" if isinstance(image, np.ndarray) else type(image).__name__
        raise ValueError(f"expected an H x W x 3 uint8 RGB image, got {got}")
    if min(image.shape[:2]) < 32:
        raise ValueError(f"image of {image.shape[1]}x{image.shape[0]} pixels is too small to be a sheet")


def _em(lines: list[Line], shape: tuple[int, ...]) -> float:
    """Typical line height of the working copy (a default from the sheet size when there are no lines)."""
    long_side = max(shape[:2])
    if len(lines) < 3:
        return DEFAULT_EM * long_side
    return float(np.clip(np.median([ln.height for ln in lines]), 0.005 * long_side, 0.02 * long_side))


def plausible_lines(lines: list[Line], shapes: list[Shape], em: float, paper: Paper | None = None) -> list[Line]:
    """Drop what the detector calls text but sheets do not have: steep "lines" and square blobs outside any card
    (a stem with leaves along it reads as vertical text, a round flower head as a letter) and lines many times
    taller than the sheet's text. With ``paper``, a long steep line whose ink is not part of a plant-sized object
    stays: the number printed upright beside a barcode on a packet that fills the photograph (no card around it)."""
    cards = [sh.quad for sh in shapes if sh.kind in CONTAINERS and card_sized(sh, em)]
    solid = solid_objects(paper, em) if paper is not None else None
    out = []
    for ln in lines:
        if ln.height > 4 * em:
            continue
        odd = 30 < abs(ln.angle) < 150 or ln.length < 1.3 * ln.height
        c = (float(ln.centre[0]), float(ln.centre[1]))
        if odd and not any(cv2.pointPolygonTest(q, c, False) >= 0 for q in cards) and not _upright_print(ln, solid):
            continue
        out.append(ln)
    return out


def _upright_print(ln: Line, solid: np.ndarray | None) -> bool:
    """A steep line of print, not a stem: long for its height, and none of it on a plant-sized object."""
    if solid is None or ln.length < UPRIGHT_LENGTH * ln.height or not 60 < abs(ln.angle) < 120:
        return False
    inside = np.zeros(solid.shape, np.uint8)
    cv2.fillPoly(inside, [np.round(ln.quad).astype(np.int32)], 1)
    return not solid[inside.astype(bool)].any()


def _in_box(point: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    return box[0] <= point[0] < box[2] and box[1] <= point[1] < box[3]


def refine_areas(
    paper: Paper, lines: list[Line], shapes: list[Shape], em: float
) -> list[tuple[int, int, int, int]]:
    """Boxes of the working copy worth a second, finer text pass: around the coarse lines, the card-like shapes,
    and clusters of letter-sized ink (text too small for the coarse pass). Overlapping boxes are merged."""
    h, w = paper.objects.shape
    seeds = np.zeros((h, w), np.uint8)
    for ln in lines:
        cv2.fillPoly(seeds, [np.round(ln.quad).astype(np.int32)], 1)
    cards = [sh.quad for sh in shapes if sh.kind in CONTAINERS and sh.area < 0.2 * h * w]
    for quad in cards:
        cv2.fillPoly(seeds, [np.round(quad).astype(np.int32)], 1)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink(paper, em).astype(np.uint8), connectivity=8)
    small = stats[:, cv2.CC_STAT_HEIGHT] <= 6 * em  # letters, words, and lines run together at this scale
    on_solid = np.bincount(labels[solid_objects(paper, em)], minlength=n) > 0.5 * stats[:, cv2.CC_STAT_AREA]
    small &= ~on_solid  # veins and speckles of a leaf are not letters
    small[0] = False
    letters = small[labels].astype(np.uint8)
    k = max(3, int(round(em)))
    clusters = cv2.dilate(letters, np.ones((max(3, k // 2), k), np.uint8))
    n2, lab2, st2, _ = cv2.connectedComponentsWithStats(clusters, connectivity=8)
    for i in range(1, n2):
        x, y, bw, bh, area = st2[i]
        dense = letters[y : y + bh, x : x + bw][lab2[y : y + bh, x : x + bw] == i].mean()
        if bw >= 4 * em and bh >= 0.6 * em and bw > bh and dense > 0.12:
            seeds[y : y + bh, x : x + bw] = 1
    grow = max(3, int(round(1.5 * em)))
    seeds = cv2.dilate(seeds, np.ones((grow, grow), np.uint8))
    n3, _, st3, _ = cv2.connectedComponentsWithStats(seeds, connectivity=8)
    boxes = [(int(x), int(y), int(x + bw), int(y + bh)) for x, y, bw, bh, _ in st3[1:]]
    boxes = _merge_boxes(boxes)
    boxes.sort(key=_area)
    card_boxes = [_grown_box(q, grow, w, h) for q in cards]
    out, total, budget = [], 0, MAX_REFINE_SHARE * h * w
    for b in boxes:  # the smallest first: labels before big clusters
        if total + _area(b) <= budget:
            out.append(b)
            total += _area(b)
            continue
        # too large to search whole (clusters run together across the sheet): its cards are still searched
        for c in sorted(_merge_boxes([c for c in card_boxes if _inside(c, b)]), key=_area):
            if total + _area(c) <= budget:
                out.append(c)
                total += _area(c)
    return out


def without_repeats(lines: list[Line], share: float = 0.7) -> list[Line]:
    """Drop a line that lies mostly (``share`` of its area) inside a longer one: the same words found twice,
    once whole and once cut short at the edge of a searched area ("Rocky Mountain Park" and "ock")."""
    if len(lines) < 2:
        return lines
    boxes = np.array([[*ln.quad.min(axis=0), *ln.quad.max(axis=0)] for ln in lines], np.float32)
    lengths = np.array([ln.length for ln in lines], np.float32)
    keep = []
    for i, ln in enumerate(lines):
        b = boxes[i]
        crossing = (boxes[:, 0] < b[2]) & (b[0] < boxes[:, 2]) & (boxes[:, 1] < b[3]) & (b[1] < boxes[:, 3])
        near = np.nonzero(crossing & (lengths > lengths[i]))[0]
        area = max(float(cv2.contourArea(ln.quad)), 1.0)
        if not any(cv2.intersectConvexConvex(ln.quad, lines[j].quad)[0] >= share * area for j in near):
            keep.append(ln)
    return keep


def _area(box: tuple[int, int, int, int]) -> int:
    return (box[2] - box[0]) * (box[3] - box[1])


def _inside(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3]


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _grown_box(quad: np.ndarray, grow: int, w: int, h: int) -> tuple[int, int, int, int]:
    x0, y0 = np.floor(quad.min(axis=0)).astype(int) - grow // 2
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int) + grow // 2 + 1
    return max(0, int(x0)), max(0, int(y0)), min(w, int(x1)), min(h, int(y1))


def solid_objects(paper: Paper, em: float) -> np.ndarray:
    """Coloured objects far larger than letters (leaves, not cards): pieces of 20 line heights squared or more."""
    solid = (paper.objects & ~paperlike(paper)).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    big = stats[:, cv2.CC_STAT_AREA] >= 20 * em * em
    big[0] = False
    return big[labels]


def _merge_boxes(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    boxes = list(boxes)
    merged = True
    while merged:
        merged = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                if _overlap(a, b):
                    boxes[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del boxes[j]
                    merged = True
                    break
            if merged:
                break
    return boxes


def _fine_lines(
    image: np.ndarray, scale: float, box: tuple[int, int, int, int], det: TextDetector, s: Settings
) -> list[Line]:
    """Text lines of one working-copy box, found at REFINE times the working scale from the full image."""
    fx0, fy0, fx1, fy1 = _full_box(box, scale, image.shape)
    crop = image[fy0:fy1, fx0:fx1]
    if crop.size == 0:
        return []
    fine = scale * REFINE
    size = (max(1, round(crop.shape[1] * fine)), max(1, round(crop.shape[0] * fine)))
    interp = cv2.INTER_AREA if fine < 1 else cv2.INTER_LINEAR
    patch = cv2.resize(crop, size, interpolation=interp)
    out = []
    for ln in det.lines(patch, s.pixel_threshold, s.line_threshold):
        quad = ln.quad / fine + np.array([fx0, fy0], np.float32)
        out.append(Line((quad * scale).astype(np.float32), ln.score))
    return out


def _full_box(box: tuple[int, int, int, int], scale: float, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """A working-copy box in full-resolution pixels, as ``_fine_lines`` cut it."""
    H, W = shape[:2]
    x0, y0 = int(box[0] / scale), int(box[1] / scale)
    return x0, y0, min(W, int(np.ceil(box[2] / scale))), min(H, int(np.ceil(box[3] / scale)))


def _to_full(
    shape: tuple[int, ...], scale: float, em: float, regions: list[Region], lines: list[Line], work: np.ndarray,
    paper: Paper,
) -> Detections:  # fmt: skip
    H, W = shape[:2]
    inv = 1.0 / scale
    clip = lambda p: np.clip(p * inv, 0, [W, H]).astype(np.float32)  # noqa: E731
    out_lines = [TextLine(clip(ln.quad), round(ln.score, 4)) for ln in lines]
    out_regions = []
    for k, r in enumerate(regions):
        out_regions.append(Region(r.kind, clip(r.polygon), r.score, list(r.lines), r.source))
        for i in r.lines:
            out_lines[i].region = k
    d = Detections(W, H, scale, em * inv, out_regions, out_lines)
    d.work = {"image": work, "paper": paper, "regions": regions, "lines": lines, "em": em}
    return d
