"""From text lines and shapes to regions: what carries text or institution marks on a sheet, and its kind.

Kinds: ``label`` (a card with text, an annotation slip, or a block of text written or printed straight on the
sheet), ``stamp``, ``barcode``, ``ruler``, ``colour_chart``, ``card`` (blank paper: a fragment packet, or a card
whose text could not be read). All geometry here is in working-copy pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from herbproc.sheet.paper import Paper
from herbproc.sheet.shapes import Shape, bars_in
from herbproc.sheet.textdet import Line

CONTAINERS = ("rect", "frame", "shadow", "ring")


@dataclass
class Region:
    kind: str
    polygon: np.ndarray  # N x 2 float32, the region itself (margins are added when the mask is drawn)
    score: float
    lines: list[int] = field(default_factory=list)  # indices into the line list, in reading order
    source: str = ""  # what found it: rect | frame | shadow | ring | bars | text

    @property
    def box(self) -> tuple[float, float, float, float]:
        x0, y0 = self.polygon.min(axis=0)
        x1, y1 = self.polygon.max(axis=0)
        return float(x0), float(y0), float(x1), float(y1)


# --------------------------------------------------------------------------------------------- text blocks


def _frame(line: Line) -> tuple[np.ndarray, np.ndarray]:
    u = line.quad[1] - line.quad[0]
    u = u / max(np.linalg.norm(u), 1e-6)
    return u, np.array([-u[1], u[0]], np.float32)


def _extent(points: np.ndarray, axis: np.ndarray, origin: np.ndarray) -> tuple[float, float]:
    p = (points - origin) @ axis
    return float(p.min()), float(p.max())


def _gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(a[0] - b[1], b[0] - a[1], 0.0)


def linked(a: Line, b: Line) -> bool:
    """Two lines of the same block: stacked closely, or on one row."""
    if abs(a.angle - b.angle) > 6 or max(a.height, b.height) > 2.5 * min(a.height, b.height):
        return False
    u, v = _frame(a)
    o = a.centre
    h = max(a.height, b.height)
    ua, ub = _extent(a.quad, u, o), _extent(b.quad, u, o)
    va, vb = _extent(a.quad, v, o), _extent(b.quad, v, o)
    du, dv = _gap(ua, ub), _gap(va, vb)
    same_row = abs(sum(va) - sum(vb)) / 2 < 0.5 * h
    if same_row:
        return du < 6 * h
    return dv < 0.9 * h and du < 1.0 * h


def group_lines(lines: list[Line], cells: list[int] | None = None) -> list[list[int]]:
    """Blocks of lines (union-find over ``linked`` pairs); lines in different ``cells`` (the card each lies
    on, -1 for none) never share a block."""
    parent = list(range(len(lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    centres = np.array([ln.centre for ln in lines]) if lines else np.zeros((0, 2))
    reach = np.array([ln.length / 2 + 7 * ln.height for ln in lines]) if lines else np.zeros(0)
    for i in range(len(lines)):
        near = np.flatnonzero(np.linalg.norm(centres - centres[i], axis=1) < reach + reach[i])
        for j in near[near > i]:
            if (cells is None or cells[i] == cells[j]) and linked(lines[i], lines[j]):
                parent[root(j)] = root(i)
    blocks: dict[int, list[int]] = {}
    for i in range(len(lines)):
        blocks.setdefault(root(i), []).append(i)
    return list(blocks.values())


def reading_order(lines: list[Line], idx: list[int]) -> list[int]:
    """Top to bottom in rows, left to right within a row, in the frame of the lines' median direction. Within a
    row, lines that overlap along the text (by more than a third of the shorter) are stacked, not side by side:
    they are read top to bottom, where their leftmost one stands in the row (closely set lines whose boxes
    overlap vertically were otherwise read by their left ends, alternately from two rows)."""
    if len(idx) < 2:
        return list(idx)
    ang = np.radians(np.median([lines[i].angle for i in idx]))
    u = np.array([np.cos(ang), np.sin(ang)])
    v = np.array([-u[1], u[0]])
    pos = []
    for i in idx:
        along = lines[i].quad @ u
        pos.append((float(lines[i].centre @ v), float(lines[i].quad[0] @ u), lines[i].height, i,
                    float(along.min()), float(along.max())))  # fmt: skip
    pos.sort()
    rows: list[list[tuple]] = []
    for p in pos:
        if rows and abs(p[0] - np.mean([q[0] for q in rows[-1]])) < 0.5 * max(p[2], rows[-1][0][2]):
            rows[-1].append(p)
        else:
            rows.append([p])
    return [i for row in rows for i in _row_order(row)]


def _row_order(row: list[tuple]) -> list[int]:
    """One row's lines: stacks of text lines overlapping along the text (joined transitively), left to right by
    their leftmost start, each stack top to bottom."""
    stacks: list[list[tuple]] = []
    for p in row:
        joined = [s for s in stacks if any(_overlap_along(p, q) for q in s)]
        merged = [p] + [q for s in joined for q in s]
        stacks = [s for s in stacks if not any(s is j for j in joined)] + [merged]
    stacks.sort(key=lambda s: min(q[1] for q in s))
    return [q[3] for s in stacks for q in sorted(s)]


def _overlap_along(a: tuple, b: tuple) -> bool:
    """Two lines of text (each at least 3 times as long as it is high: not a short word like "No." under a
    handwritten name) whose extents along the text overlap by more than a third of the shorter one: stacked,
    not side by side."""
    if min(a[5] - a[4] - 3 * a[2], b[5] - b[4] - 3 * b[2]) < 0:
        return False
    overlap = min(a[5], b[5]) - max(a[4], b[4])
    return overlap > min(a[5] - a[4], b[5] - b[4]) / 3


def block_quad(lines: list[Line], idx: list[int], pad: float) -> np.ndarray:
    """The oriented rectangle around a block's lines, ``pad`` pixels larger on every side."""
    pts = np.concatenate([lines[i].quad for i in idx]).astype(np.float32)
    ang = float(np.median([lines[i].angle for i in idx]))
    t = np.radians(ang)
    u, v = np.array([np.cos(t), np.sin(t)], np.float32), np.array([-np.sin(t), np.cos(t)], np.float32)
    pu, pv = pts @ u, pts @ v
    u0, u1, v0, v1 = pu.min() - pad, pu.max() + pad, pv.min() - pad, pv.max() + pad
    return np.stack([u * u0 + v * v0, u * u1 + v * v0, u * u1 + v * v1, u * u0 + v * v1]).astype(np.float32)


# --------------------------------------------------------------------------------------------- regions


def holds(container: Shape, line: Line) -> bool:
    """The line's centre is inside the container and the line fits it: a shape shorter than the line through
    it is part of that line's print (an O or a D of large type, a word's outline), not a card or stamp."""
    return _inside(container.quad, line.centre) and line.length <= 1.25 * container.size[0]


def _inside(quad: np.ndarray, point: np.ndarray) -> bool:
    return cv2.pointPolygonTest(quad.astype(np.float32), (float(point[0]), float(point[1])), False) >= 0


def _poly_mask(shape: tuple[int, int], poly: np.ndarray) -> np.ndarray:
    m = np.zeros(shape, np.uint8)
    cv2.fillPoly(m, [np.round(poly).astype(np.int32)], 1)
    return m.astype(bool)


def _contained(inner: np.ndarray, outer: np.ndarray) -> float:
    area = cv2.contourArea(inner)
    if area <= 0:
        return 0.0
    inter, _ = cv2.intersectConvexConvex(inner.astype(np.float32), outer.astype(np.float32))
    return float(inter / area)


# the share of a text block's pixels that differ from the sheet's paper above which the text lies on a card of its
# own colour (an old label yellowed, a coloured card), not on the sheet
ON_A_CARD = 0.9


def _ink_chroma(paper: Paper, idx_mask: np.ndarray) -> float:
    """Median chroma of the object (ink) pixels in ``idx_mask``: stamps are inked in colour. Text on a card of its
    own colour is measured against the card (its darkest pixels' colour less the card's): a yellowed label's
    black ink is no stamp's."""
    ink = idx_mask & paper.objects
    if ink.sum() < 5:
        return 0.0
    lab = paper.lab[ink]
    if ink.sum() < ON_A_CARD * idx_mask.sum():
        return float(np.median(np.hypot(lab[:, 1] - 128, lab[:, 2] - 128)))
    lightness = lab[:, 0]
    dark, card = lab[lightness <= np.percentile(lightness, 15)], lab[lightness >= np.percentile(lightness, 50)]
    return float(np.median(np.hypot(dark[:, 1] - np.median(card[:, 1]), dark[:, 2] - np.median(card[:, 2]))))


def _hues(rgb: np.ndarray, m: np.ndarray) -> int:
    """Distinct strongly coloured hues in the masked pixels (a colour chart has many)."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)[m]
    strong = hsv[(hsv[:, 1] > 90) & (hsv[:, 2] > 60)]
    if len(strong) < 0.15 * max(1, len(hsv)):
        return 0
    counts = np.bincount(strong[:, 0] // 15, minlength=12)
    return int((counts > 0.04 * len(strong)).sum())


def find_regions(
    rgb: np.ndarray,
    paper: Paper,
    shapes: list[Shape],
    lines: list[Line],
    em: float,
    image: np.ndarray,
    scale: float,
) -> list[Region]:
    """Regions of the working copy ``rgb`` from its paper analysis, shapes and text lines; ``image`` is the
    full-resolution sheet (bar patterns are checked there) and ``scale`` the working copy's scale."""
    shape = rgb.shape[:2]
    long_side = max(shape)
    # a card, stamp or ruler is a small part of a sheet; a shadow is only a card's when it is card-sized
    limit = {"shadow": 0.06, "ring": 0.03}
    containers = _drop_nested(
        [
            s
            for s in shapes
            if s.kind in CONTAINERS
            and s.area <= limit.get(s.kind, 0.15) * shape[0] * shape[1]
        ]
    )
    cells = []
    for ln in lines:
        inside = [(s.area, c) for c, s in enumerate(containers) if holds(s, ln)]
        cells.append(min(inside)[1] if inside else -1)
    blocks = group_lines(lines, cells)

    owner: dict[int, int] = {}  # block -> container
    for b, idx in enumerate(blocks):
        best, best_area = -1, np.inf
        for c, s in enumerate(containers):
            inside = sum(holds(s, lines[i]) for i in idx)
            if inside >= 0.6 * len(idx) and s.area < best_area:
                best, best_area = c, s.area
        if best >= 0:
            owner[b] = best

    regions: list[Region] = []
    for c, s in enumerate(containers):
        mine = [i for b, idx in enumerate(blocks) if owner.get(b) == c for i in idx]
        m = _poly_mask(shape, s.quad)
        bars = (
            bars_in(image, scale, s.quad) if s.kind in ("rect", "frame") and s.area < 0.1 * m.size else None
        )
        bar_share = bars["share"] if bars else 0.0
        kind = _container_kind(s, mine, lines, bar_share, paper, rgb, m, long_side, em)
        if kind is None:
            continue
        poly = s.quad
        if kind == "stamp" and s.kind == "ring":
            poly = _hull(s)
        regions.append(Region(kind, poly, _container_score(s), reading_order(lines, mine), s.kind))

    owned_lines = {i for r in regions for i in r.lines}
    for b, idx in enumerate(blocks):
        idx = [i for i in idx if i not in owned_lines]
        if b in owner or not idx:
            continue
        score = float(np.mean([lines[i].score for i in idx]))
        tight = block_quad(lines, idx, 0.0)
        chroma = _ink_chroma(paper, _poly_mask(shape, tight))
        if chroma > 22:
            regions.append(
                Region("stamp", block_quad(lines, idx, 0.6 * em), score, reading_order(lines, idx), "text")
            )
        else:  # the text itself, out to its card's shadow if one is seen; the mask adds mask.block_pad
            quad = shadow_edges(paper, tight, em)
            regions.append(Region("label", quad, score, reading_order(lines, idx), "text"))
    return regions


def shadow_edges(paper: Paper, quad: np.ndarray, em: float) -> np.ndarray:
    """``quad`` (a block of text, corners in reading order) grown to the right and downwards as far as the
    shadow a card casts there, when a dark line runs beside the text (within 8 line heights to the right, 4
    below): the card of a label whose paper is the sheet's own colour shows only by that shadow."""
    dark = (paper.model[..., 0] - paper.lab[..., 0]) > max(5.0, 2.5 * paper.noise)
    near_edge = cv2.dilate(paper.background.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    dark = cv2.dilate((dark & ~near_edge).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(
        bool
    )  # not the sheet's edge
    h, w = dark.shape
    tl, tr, bl = quad[0].astype(np.float64), quad[1].astype(np.float64), quad[3].astype(np.float64)
    width, height = np.linalg.norm(tr - tl), np.linalg.norm(bl - tl)
    if width < 1 or height < 1:
        return quad
    u, v = (tr - tl) / width, (bl - tl) / height

    def share(points: np.ndarray) -> float:
        xs, ys = np.round(points[:, 0]).astype(int), np.round(points[:, 1]).astype(int)
        ok = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
        return float(dark[ys[ok], xs[ok]].mean()) if ok.sum() > 0.8 * len(xs) else 0.0

    def first_line(
        along: np.ndarray, across: np.ndarray, start: float, span: tuple[float, float], reach: float
    ):
        ts = np.arange(span[0], span[1], 1.0)
        for d in np.arange(start + 1, start + reach, 1.0):
            if share(tl + along * d + across * ts[:, None]) >= 0.6:
                return d + 1
        return None

    right = first_line(u, v, width, (-em, height + 2 * em), 8 * em)
    right = right if right is not None else width
    bottom = first_line(v, u, height, (-em, right), 4 * em)
    bottom = bottom if bottom is not None else height
    return np.stack([tl, tl + u * right, tl + u * right + v * bottom, tl + v * bottom]).astype(np.float32)


def card_sized(shape: Shape, em: float) -> bool:
    """Large enough to be a card, a stamp or a ruler (not a flower head or a leaf that happens to be compact)."""
    long_side, short_side = shape.size
    return long_side >= 4 * em and (
        short_side >= 1.5 * em or (long_side >= 8 * em and short_side >= 0.8 * em)
    )


def _container_kind(
    s: Shape, mine: list[int], lines: list[Line], bar_share: float, paper: Paper, rgb: np.ndarray,
    m: np.ndarray, long_side: int, em: float,
) -> str | None:  # fmt: skip
    lng, sht = s.size
    ruler_like = lng > 0.18 * long_side  # a scale is 10 cm or more of a 42 cm sheet; a barcode about 5 cm
    if s.kind == "ring":
        return "stamp"
    if bar_share > 0.15:
        return "ruler" if ruler_like and lng > 7 * sht else "barcode"
    if ruler_like and lng > 4.5 * sht:
        return "ruler"
    if _hues(rgb, m) >= 4:
        return "colour_chart"
    if mine:
        if s.kind == "shadow":
            return "label"
        interior = cv2.erode(m.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        paper_inside = (paper.distance[interior] < paper.threshold).mean() if interior.any() else 0.0
        chroma = _ink_chroma(paper, interior)
        # no card of its own (paper inside) and either coloured ink or a few lines in a small frame
        if paper_inside > 0.35 and (chroma > 22 or (len(mine) <= 3 and lng <= 10 * em)):
            return "stamp"
        return "label"
    if s.kind == "shadow":
        return None
    interior = cv2.erode(m.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    if not interior.any():
        return None
    lab = paper.lab[interior]
    bright = lab[:, 0] > paper.colour[0] - 40
    flat = np.hypot(lab[:, 1] - 128, lab[:, 2] - 128) < 25
    if (bright & flat).mean() > 0.85:
        return "card"
    return None


def _container_score(s: Shape) -> float:
    if s.kind in ("rect", "frame"):
        return round(min(1.0, s.fill), 3)
    if s.kind == "ring":
        return round(min(1.0, s.stats.get("ellipse", 0.9)), 3)
    return round(float(np.mean(s.stats.get("cover", [0.8]))), 3)


def _drop_nested(shapes: list[Shape]) -> list[Shape]:
    """A card found twice (its outline and the frame printed inside it): keep the outer one."""
    keep = []
    order = sorted(range(len(shapes)), key=lambda i: -shapes[i].area)
    for i in order:
        s = shapes[i]
        if any(k.kind != "ring" and s.kind != "ring" and _contained(s.quad, k.quad) > 0.9
               and s.area > 0.5 * k.area for k in keep):  # fmt: skip
            continue
        keep.append(s)
    return keep


def _hull(s: Shape) -> np.ndarray:
    x0, y0 = s.bbox[:2]
    pts = cv2.findNonZero(s.pixels.astype(np.uint8))
    return (cv2.convexHull(pts).reshape(-1, 2) + np.array([x0, y0])).astype(np.float32)


def _hull_of(polys: list[np.ndarray]) -> np.ndarray:
    pts = np.concatenate(polys).astype(np.float32)
    return cv2.convexHull(pts).reshape(-1, 2).astype(np.float32)
