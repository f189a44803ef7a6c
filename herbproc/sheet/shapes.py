"""Shapes found in the object map of the working copy: rectangles (cards, rulers, charts, stamp frames), the
L-shaped shadow a card casts, rings (oval stamps), and bar patterns (barcodes, ruler ticks)."""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from herbproc.sheet.paper import Paper


@dataclass
class Shape:
    kind: str  # rect | frame | shadow | ring | bars
    quad: np.ndarray  # 4 x 2 float32 oriented rectangle (working-copy pixels)
    fill: float  # share of the rectangle the component covers
    area: float  # rectangle area
    pixels: np.ndarray | None = None  # bool mask of the component inside ``bbox`` (rings: for the hull)
    bbox: tuple[int, int, int, int] = (0, 0, 0, 0)
    stats: dict = field(default_factory=dict)

    @property
    def size(self) -> tuple[float, float]:
        """(long side, short side)."""
        a, b = np.linalg.norm(self.quad[1] - self.quad[0]), np.linalg.norm(self.quad[2] - self.quad[1])
        return float(max(a, b)), float(min(a, b))


def rect_quad(rect) -> np.ndarray:
    return cv2.boxPoints(rect).astype(np.float32)


def side_coverage(ys: np.ndarray, xs: np.ndarray, rect, depth: float) -> list[float]:
    """For each side of the oriented ``rect`` (top, right, bottom, left in its own frame), the share of its
    length along which component pixels (``ys``, ``xs``) lie within ``depth`` of that side."""
    (cx, cy), (w, h), ang = rect
    t = np.radians(ang)
    c, s = np.cos(t), np.sin(t)
    dx, dy = xs - cx, ys - cy
    u = dx * c + dy * s + w / 2  # 0..w along the rectangle's width
    v = -dx * s + dy * c + h / 2  # 0..h along its height
    sides = ((u, v < depth, w), (v, u > w - depth, h), (u, v > h - depth, w), (v, u < depth, h))
    out = []
    for along, near, length in sides:
        bins = max(1, int(length // 2))
        idx = np.clip((along[near] / max(length, 1e-6) * bins).astype(int), 0, bins - 1)
        out.append(len(np.unique(idx)) / bins)
    return out


def find_shapes(paper: Paper, em: float, min_area_share: float = 0.0004) -> list[Shape]:
    """Rectangles, frames, shadows and rings among the object map's components. Things on the background
    beside the sheet are also taken in groups (a ruler of black and white squares, a bar of colour patches)."""
    h, w = paper.objects.shape
    obj = paper.objects.astype(np.uint8)
    closed = cv2.morphologyEx(obj, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    opened = cv2.morphologyEx(closed, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    layers = [(closed, False), (opened, False)]
    if paper.islands is not None and paper.islands.any():
        k = max(3, int(round(em)))
        grouped = cv2.morphologyEx(paper.islands.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
        layers.append((grouped, True))
    min_area = min_area_share * h * w
    out: list[Shape] = []
    for layer, island in layers:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(layer, connectivity=8)
        for k in range(1, n):
            x, y, bw, bh, area = stats[k]
            if bw * bh < min_area or bw * bh > 0.6 * h * w:
                continue
            comp = labels[y : y + bh, x : x + bw] == k
            shape = _classify_component(comp, x, y, area, paper, island)
            if shape is not None and not any(_same(shape, o) for o in out):
                out.append(shape)
    return out


def _same(a: Shape, b: Shape) -> bool:
    return a.kind == b.kind and quad_iou(a.quad, b.quad) > 0.8


def quad_iou(a: np.ndarray, b: np.ndarray) -> float:
    inter, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    union = cv2.contourArea(a) + cv2.contourArea(b) - inter
    return float(inter / union) if union > 0 else 0.0


def _classify_component(
    comp: np.ndarray, x: int, y: int, area: int, paper: Paper, island: bool = False
) -> Shape | None:
    """The shape a component makes, if any. ``island``: it lies on the background beside the sheet, where
    nothing is the specimen, so a rough rectangle will do."""
    contours, _ = cv2.findContours(comp.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    contour = max(contours, key=cv2.contourArea) + np.array([x, y])
    rect = cv2.minAreaRect(contour)
    rw, rh = rect[1]
    if min(rw, rh) < 3:
        return None
    rect_area = rw * rh
    hull_area = cv2.contourArea(contour)
    fill = hull_area / rect_area
    quad = rect_quad(rect)
    bbox = (x, y, x + comp.shape[1], y + comp.shape[0])
    if fill >= 0.88 or (island and fill >= 0.5):
        solid = area / max(hull_area, 1.0)
        kind = "rect" if solid > 0.55 else "frame"
        return Shape(kind, quad, fill, rect_area, comp, bbox, {"solid": solid})
    ys, xs = np.nonzero(comp)
    ys, xs = ys + y, xs + x
    depth = max(2.0, 0.04 * min(rw, rh))
    cover = side_coverage(ys.astype(np.float32), xs.astype(np.float32), rect, depth)
    thin = area / rect_area < 0.35
    if thin and sum(c > 0.8 for c in cover) >= 3:
        return Shape("frame", quad, fill, rect_area, comp, bbox, {"cover": cover})
    adjacent = any(cover[i] > 0.85 and cover[(i + 1) % 4] > 0.85 for i in range(4))
    if thin and adjacent:
        chroma = np.hypot(paper.lab[ys, xs, 1] - 128, paper.lab[ys, xs, 2] - 128)
        darker = paper.model[ys, xs, 0] - paper.lab[ys, xs, 0]
        if np.median(chroma) < 14 and np.median(darker) > 0:
            return Shape("shadow", quad, fill, rect_area, comp, bbox, {"cover": cover})
    ring = _ring(contour, hull_area, comp, x, y, paper)
    if ring:
        return Shape("ring", quad, fill, rect_area, comp, bbox, {"ellipse": ring})
    return None


def _ring(contour: np.ndarray, hull_area: float, comp: np.ndarray, x: int, y: int, paper: Paper) -> float:
    """An oval outline (an accession stamp): its outer contour close to an ellipse, not larger than a stamp, and
    hollow: what the ink leaves open inside is bare paper (a leaf is solid; its pale veins are not paper)."""
    h, w = paper.objects.shape
    area = int(comp.sum())
    if len(contour) < 5 or area > 0.85 * hull_area:
        return 0.0
    (cx, cy), (ew, eh), ang = cv2.fitEllipse(contour)
    ellipse_area = np.pi * ew * eh / 4
    if ellipse_area <= 0 or not 0.85 < hull_area / ellipse_area < 1.12:
        return 0.0
    if max(ew, eh) > 4 * min(ew, eh) or max(ew, eh) > 0.3 * max(h, w):
        return 0.0
    inside = np.zeros(comp.shape, np.uint8)
    cv2.fillPoly(inside, [contour - np.array([x, y])], 1)
    gaps = inside.astype(bool) & ~comp
    if gaps.sum() < 0.1 * area:
        return 0.0
    dist = paper.distance[y : y + comp.shape[0], x : x + comp.shape[1]][gaps]
    if np.median(dist) > paper.threshold:
        return 0.0
    return float(hull_area / ellipse_area)


# --------------------------------------------------------------------------------------------- bars

MAX_BAR_CROP = 1600  # longest side a crop is analysed at (bars of real barcodes stay at least ~1 px wide)


def bars_in(image: np.ndarray, scale: float, quad: np.ndarray) -> dict | None:
    """Look for a bar pattern (a barcode, ruler ticks) inside ``quad`` (working-copy pixels) at full resolution.

    Returns ``{"share": area share of the pattern in the quad, "columns": column uniformity}`` or None. Bars are
    vertical strokes side by side whose columns are uniform from top to bottom: the variance of the column means
    is most of the pixels' variance, which text, plants and paper grain are not.
    """
    rect = cv2.minAreaRect((quad / scale).astype(np.float32))
    (cx, cy), (w, h), ang = rect
    if w < h:  # make the width the long side
        w, h, ang = h, w, ang + 90
    if w < 8 or h < 4:
        return None
    shrink = min(1.0, MAX_BAR_CROP / w)
    m = cv2.getRotationMatrix2D((cx, cy), ang, shrink)
    m[0, 2] += w * shrink / 2 - cx
    m[1, 2] += h * shrink / 2 - cy
    size = (max(1, int(w * shrink)), max(1, int(h * shrink)))
    gray = cv2.cvtColor(cv2.warpAffine(image, m, size, flags=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY)
    return bar_pattern(gray)


def bar_pattern(gray: np.ndarray) -> dict | None:
    g = gray.astype(np.float32)
    gx = np.abs(cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3))
    gy = np.abs(cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3))
    vertical = (gx > 60) & (gx > 2.5 * gy)
    rows = vertical.mean(axis=1)
    if rows.max() < 0.12:
        return None
    band = rows > 0.5 * rows.max()
    best, start = (0, 0), None
    for i, on in enumerate(np.append(band, False)):  # the longest run of bar rows
        if on and start is None:
            start = i
        elif not on and start is not None:
            best = max(best, (i - start, start))
            start = None
    height, top = best
    if height < 4:
        return None
    cols = np.flatnonzero(vertical[top : top + height].mean(axis=0) > 0.2)
    if len(cols) < 2:
        return None
    left, right = int(cols[0]), int(cols[-1]) + 1
    patch = g[top : top + height, left:right]
    total = float(patch.var())
    if total < 300 or right - left < 2 * height:
        return None
    column_share = float(patch.mean(axis=0).var()) / total
    middle = patch[height // 2] > patch.mean()
    transitions = int(np.count_nonzero(middle[1:] != middle[:-1]))
    if column_share < 0.6 or transitions < 16:
        return None
    return {"share": height * (right - left) / max(1.0, g.size), "columns": round(column_share, 3)}
