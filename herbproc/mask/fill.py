"""Draw the mask of the targeted regions at full resolution, keep the specimen out of it, and fill it.

Fills (``mask.fill``):

- ``paper``: every masked area takes the median colour of the paper around it (and, with ``fill_noise``, the
  paper's grain): a card simply disappears;
- ``telea`` / ``ns``: OpenCV inpainting (Telea's fast marching / Navier-Stokes), computed on the working copy
  and enlarged (inpainting at full resolution costs seconds and smears the same way);
- ``auto``: paper where the masked area sits on paper, inpainting where it sits on other things (text written
  over a leaf, a stamp on a stem);
- ``black``: zeros, as the first version of the project did (for comparison).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from herbproc.mask.detect import Detections
from herbproc.mask.paper import Paper
from herbproc.schema.mask import FILLS, TARGETS, Settings

TEXT_SOURCES = ("text",)  # regions made of text lines alone: padded by block_pad line heights


def target_kinds(settings: Settings) -> set[str]:
    unknown = [t for t in settings.targets if t not in TARGETS]
    if unknown:
        raise ValueError(
            f"wrong value for 'mask.targets': unknown {', '.join(unknown)} (choices: {', '.join(TARGETS)})"
        )
    return {k for t in settings.targets for k in TARGETS[t]}


def grow(poly: np.ndarray, d: float) -> np.ndarray:
    """A convex polygon moved outwards by ``d`` pixels (mitred corners, capped at 2 d)."""
    p = np.asarray(poly, np.float64)
    if d <= 0 or len(p) < 3:
        return p.astype(np.float32)
    edges = np.roll(p, -1, axis=0) - p
    normals = np.stack([edges[:, 1], -edges[:, 0]], axis=1)
    normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-9)
    mids = p + edges / 2
    flip = ((mids - p.mean(axis=0)) * normals).sum(axis=1) < 0  # point every normal away from the centre
    normals[flip] *= -1
    n_in, n_out = np.roll(normals, 1, axis=0), normals
    cos = np.maximum((n_in * n_out).sum(axis=1, keepdims=True), -0.5)
    offset = (n_in + n_out) * d / (1 + cos)
    length = np.linalg.norm(offset, axis=1, keepdims=True)
    offset *= np.minimum(1.0, 2 * d / np.maximum(length, 1e-9))
    return (p + offset).astype(np.float32)


def region_pad(det: Detections, index: int, settings: Settings) -> float:
    """Full-resolution pixels added around region ``index``: the margin, plus the block padding for text
    found without a card around it."""
    r = det.regions[index]
    pad = settings.margin * max(det.width, det.height)
    if r.source in TEXT_SOURCES and r.kind == "label":
        pad += settings.block_pad * det.em
    return pad


@dataclass
class MaskLayers:
    mask: np.ndarray  # full resolution uint8, 255 = masked
    protected: np.ndarray  # working copy bool: specimen pixels kept out of the mask
    targeted: list[int]  # indices of the regions masked


def draw_mask(det: Detections, settings: Settings) -> MaskLayers:
    kinds = target_kinds(settings)
    H, W = det.height, det.width
    mask = np.zeros((H, W), np.uint8)
    targeted = [i for i, r in enumerate(det.regions) if r.kind in kinds]
    for i in targeted:
        poly = grow(det.regions[i].polygon, region_pad(det, i, settings))
        cv2.fillPoly(mask, [np.round(poly * 4).astype(np.int32)], 255, lineType=cv2.LINE_8, shift=2)
    work = det.work
    protected = np.zeros(work["image"].shape[:2], bool) if work else np.zeros((1, 1), bool)
    if settings.protect_plant and work and targeted:
        protected = specimen_pixels(work["paper"], [work["regions"][i] for i in targeted], mask, work["em"])
        if protected.any():
            _clear(mask, cv2.dilate(protected.astype(np.uint8), np.ones((3, 3), np.uint8)))
    return MaskLayers(mask, protected, targeted)


def _clear(mask: np.ndarray, small: np.ndarray) -> None:
    """Unmask, at full resolution, the pixels under the working-copy pixels set in ``small``; only inside the
    boxes of ``small``'s pieces (enlarging the whole map would cost more than the rest of the fill)."""
    H, W = mask.shape
    h, w = small.shape
    sx, sy = W / w, H / h
    n, _, stats, _ = cv2.connectedComponentsWithStats(small, connectivity=8)
    for x, y, bw, bh, _ in stats[1:]:
        X0, Y0, X1, Y1 = (
            int(x * sx),
            int(y * sy),
            min(W, int(np.ceil((x + bw) * sx))),
            min(H, int(np.ceil((y + bh) * sy))),
        )
        if not mask[Y0:Y1, X0:X1].any():
            continue
        big = cv2.resize(small[y : y + bh, x : x + bw], (X1 - X0, Y1 - Y0), interpolation=cv2.INTER_NEAREST)
        mask[Y0:Y1, X0:X1][big > 0] = 0


def specimen_pixels(paper: Paper, regions: list, mask_full: np.ndarray, em: float) -> np.ndarray:
    """Working-copy pixels of the specimen near or on the masked regions.

    The object map outside the regions, in pieces that reach out of the masked area (a leaf reaching into a
    label's margin; not the card's own shadow) or that are big, not line-shaped and mostly outside the regions
    themselves (a plant that a wrongly found region covers whole), plus whatever of those pieces continues onto
    a region (a leaf lying over a label: pixels far from the card's colour, connected to the leaf outside)."""
    h, w = paper.objects.shape
    cores = np.zeros((h, w), np.uint8)
    foreign = np.zeros((h, w), bool)
    for r in regions:
        x0, y0 = np.clip(np.floor(r.polygon.min(axis=0)).astype(int), 0, [w, h])
        x1, y1 = np.clip(np.ceil(r.polygon.max(axis=0)).astype(int) + 1, 0, [w, h])
        if x1 <= x0 or y1 <= y0:
            continue
        m = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillPoly(m, [np.round(r.polygon - (x0, y0)).astype(np.int32)], 1)
        inside = m.astype(bool)
        cores[y0:y1, x0:x1] |= m
        obj = paper.objects[y0:y1, x0:x1]
        if r.source in ("rect", "frame", "shadow") and inside.sum() > 20:
            lab = paper.lab[y0:y1, x0:x1]
            bare = inside & ~obj
            tone = np.median(lab[bare if bare.any() else inside], axis=0)
            far = np.linalg.norm(lab - tone, axis=2) > 30
            foreign[y0:y1, x0:x1] |= inside & far & obj
        else:
            foreign[y0:y1, x0:x1] |= inside & obj
    masked_small = cv2.resize(mask_full, (w, h), interpolation=cv2.INTER_AREA) > 0
    cores = cv2.dilate(cores, np.ones((5, 5), np.uint8)).astype(bool)  # a card's shadow belongs to the card
    outside = paper.objects & ~cores
    candidate = (outside | foreign).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(candidate, connectivity=8)
    if n <= 1:
        return np.zeros((h, w), bool)
    area = stats[:, cv2.CC_STAT_AREA]
    beyond_mask = np.bincount(labels[outside & ~masked_small], minlength=n) >= 0.3 * area
    beyond_cores = np.bincount(labels[outside], minlength=n) >= 0.3 * area
    big = (
        (area >= 12 * em * em)
        & (stats[:, cv2.CC_STAT_HEIGHT] >= 3 * em)
        & (stats[:, cv2.CC_STAT_WIDTH] >= 3 * em)
    )
    touches = np.bincount(labels[masked_small], minlength=n) > 0  # only pieces the mask reaches matter
    min_area = max(12, int(0.00003 * h * w))
    keep = (beyond_mask | (big & beyond_cores)) & (area >= min_area) & touches
    keep[0] = False
    return keep[labels]


def apply_fill(
    image: np.ndarray, mask: np.ndarray, settings: Settings, work: dict | None = None
) -> np.ndarray:
    """``image`` with the masked pixels (``mask`` > 0, full resolution) replaced; a new array.

    The fill is computed on the working copy and enlarged, one masked area at a time (full-resolution work
    is limited to the areas' boxes)."""
    if settings.fill not in FILLS:
        raise ValueError(f"wrong value for 'mask.fill': '{settings.fill}' (choices: {', '.join(FILLS)})")
    out = image.copy()
    if settings.fill == "black":
        out[mask > 0] = 0
        return out
    H, W = mask.shape
    if work:
        small = work["image"]
        objects = work["paper"].objects
    else:
        scale = min(1.0, settings.work_side / max(H, W))
        size = (max(1, round(W * scale)), max(1, round(H * scale)))
        small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        objects = None
    h, w = small.shape[:2]
    hole = cv2.resize(mask, (w, h), interpolation=cv2.INTER_AREA) > 0
    if not hole.any():
        return out
    hole = cv2.dilate(hole.astype(np.uint8), np.ones((3, 3), np.uint8))
    filled, grain = _fill_small(small, hole, objects, settings)
    if settings.fill_noise and grain.any():
        filled = _add_grain(filled, grain, hole)
    sx, sy = W / w, H / h
    n, _, stats, _ = cv2.connectedComponentsWithStats(hole, connectivity=8)
    for k in range(1, n):
        x, y, bw, bh, _ = stats[k]
        x0, y0 = max(0, x - 1), max(0, y - 1)
        x1, y1 = min(w, x + bw + 1), min(h, y + bh + 1)
        X0, Y0, X1, Y1 = (
            int(x0 * sx),
            int(y0 * sy),
            min(W, int(np.ceil(x1 * sx))),
            min(H, int(np.ceil(y1 * sy))),
        )
        sel = mask[Y0:Y1, X0:X1] > 0
        if not sel.any():
            continue
        patch = cv2.resize(filled[y0:y1, x0:x1], (X1 - X0, Y1 - Y0), interpolation=cv2.INTER_LINEAR)
        np.copyto(out[Y0:Y1, X0:X1], patch, where=sel[..., None])
    return out


def _add_grain(filled: np.ndarray, grain: np.ndarray, hole: np.ndarray) -> np.ndarray:
    """Noise of the paper's own spread on the paper fills of the working copy; enlarged with the fill it
    becomes a soft grain, like the paper's (and costs nothing at full resolution)."""
    rng = np.random.default_rng(0)  # the same sheet always gets the same fill
    sel = (grain > 0) & (hole > 0)
    noise = rng.standard_normal((int(sel.sum()), 1), dtype=np.float32) * (1.5 * grain[sel])[:, None]
    out = filled.copy()
    out[sel] = np.clip(filled[sel].astype(np.float32) + noise + 0.5, 0, 255).astype(np.uint8)
    return out


def _fill_small(
    small: np.ndarray, hole: np.ndarray, objects: np.ndarray | None, settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """Fill the holes of the working copy; returns it and the per-pixel grain (std) paper fills should get."""
    h, w = hole.shape
    filled = small.copy()
    grain = np.zeros((h, w), np.float32)
    mode = settings.fill
    radius = max(1, int(settings.inpaint_radius))
    if mode in ("telea", "ns"):
        flag = cv2.INPAINT_TELEA if mode == "telea" else cv2.INPAINT_NS
        return cv2.inpaint(small, hole, radius, flag), grain
    n, labels, stats, _ = cv2.connectedComponentsWithStats(hole, connectivity=8)
    ring_k = max(5, int(round(0.01 * max(h, w))) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (ring_k, ring_k))
    to_inpaint = np.zeros((h, w), np.uint8)
    for k in range(1, n):
        x, y, bw, bh, _ = stats[k]
        x0, y0 = max(0, x - ring_k), max(0, y - ring_k)
        x1, y1 = min(w, x + bw + ring_k), min(h, y + bh + ring_k)
        comp = (labels[y0:y1, x0:x1] == k).astype(np.uint8)
        ring = cv2.dilate(comp, kernel).astype(bool) & ~hole[y0:y1, x0:x1].astype(bool)
        if not ring.any():
            continue
        crop = small[y0:y1, x0:x1]
        on_objects = objects[y0:y1, x0:x1][ring].mean() if objects is not None else 0.0
        if mode == "auto" and on_objects > 0.5:
            to_inpaint[y0:y1, x0:x1][comp > 0] = 1
            continue
        bare = ring & ~objects[y0:y1, x0:x1] if objects is not None else ring
        ring_px = crop[bare] if bare.sum() >= 10 else crop[ring]
        colour = np.median(ring_px, axis=0)
        spread = np.median(np.abs(ring_px.astype(np.float32) - colour), axis=0).mean() * 1.4826
        sel = comp > 0
        filled[y0:y1, x0:x1][sel] = colour.astype(np.uint8)
        grain[y0:y1, x0:x1][sel] = min(8.0, float(spread))
    if to_inpaint.any():
        painted = cv2.inpaint(small, to_inpaint, radius, cv2.INPAINT_TELEA)
        sel = to_inpaint > 0
        filled[sel] = painted[sel]
    return filled, grain
