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

from herbproc.schema.mask import FILLS, TARGETS, Settings
from herbproc.sheet.detect import Detections, working_copy
from herbproc.sheet.paper import Paper, analyse, chroma, inklike, paperlike

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
    targeted = [i for i, r in enumerate(det.regions) if r.kind in kinds]
    work = det.work
    on_sheet, beside = np.zeros((H, W), np.uint8), np.zeros((H, W), np.uint8)
    for i in targeted:
        poly = grow(det.regions[i].polygon, region_pad(det, i, settings))
        layer = on_sheet if not work or _on_sheet(work["paper"], work["regions"][i].polygon) else beside
        cv2.fillPoly(layer, [np.round(poly * 4).astype(np.int32)], 255, lineType=cv2.LINE_8, shift=2)
    if work and work["paper"].background.any() and on_sheet.any():
        _clear(
            on_sheet, work["paper"].background.astype(np.uint8)
        )  # a label's margin stops at the sheet's edge
    mask = cv2.bitwise_or(on_sheet, beside)
    protected = np.zeros(work["image"].shape[:2], bool) if work else np.zeros((1, 1), bool)
    if settings.protect_plant and work and targeted:
        protected = specimen_pixels(work["paper"], [work["regions"][i] for i in targeted], mask, work["em"])
        if protected.any():
            _clear(mask, cv2.dilate(protected.astype(np.uint8), np.ones((3, 3), np.uint8)))
    return MaskLayers(mask, protected, targeted)


def _on_sheet(paper: Paper, polygon: np.ndarray) -> bool:
    """Whether a region (working-copy polygon) lies on the sheet rather than on the background beside it."""
    x0, y0, bw, bh = cv2.boundingRect(np.round(polygon).astype(np.int32))
    crop = paper.background[max(0, y0) : y0 + bh, max(0, x0) : x0 + bw]
    return crop.size == 0 or crop.mean() < 0.5


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
    """Working-copy pixels of the specimen that the mask reaches.

    Specimen-like pixels are objects that are neither paper-like (bright and nearly grey: cards, stickers,
    packets) nor ink-like (dark and grey: print, card edges and their shadows). Their connected pieces are the specimen when they are leaf-sized or larger in both directions
    (letters, words and lines of text are not: they are thin) and do not lie mostly inside one of the masked
    regions themselves (a stamp's ring, a colour bar); a leaf lying across a label is kept whole."""
    h, w = paper.objects.shape
    cores = np.zeros((h, w), np.uint8)
    for r in regions:
        cv2.fillPoly(cores, [np.round(r.polygon).astype(np.int32)], 1)
    cores = cv2.dilate(cores, np.ones((5, 5), np.uint8)).astype(bool)  # a card's shadow belongs to the card
    colour = chroma(paper)
    plantlike = (paper.objects & ~paperlike(paper) & ~inklike(paper)).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(plantlike, connectivity=8)
    if n <= 1:
        return np.zeros((h, w), bool)
    masked_small = cv2.resize(mask_full, (w, h), interpolation=cv2.INTER_AREA) > 0
    area = stats[:, cv2.CC_STAT_AREA]
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    sized = (
        (area >= max(12.0, 6 * em * em)) & (np.maximum(bw, bh) >= 3 * em) & (np.minimum(bw, bh) >= 1.5 * em)
    )
    outside = np.bincount(labels[~cores], minlength=n) >= 0.3 * area
    touches = np.bincount(labels[masked_small], minlength=n) > 0  # only pieces the mask reaches matter
    keep = sized & outside & touches
    keep[0] = False
    # the pieces' coloured pixels only: not the grey letters or card edges they touch
    return keep[labels] & (colour >= 12)


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
    if not mask.any():
        return out
    if work:
        small, paper = work["image"], work["paper"]
    else:  # the same working copy and paper analysis detect() made: original + mask give the same fill
        small, _ = working_copy(image, int(settings.work_side))
        paper = analyse(small)
    h, w = small.shape[:2]
    hole = cv2.resize(mask, (w, h), interpolation=cv2.INTER_AREA) > 0
    hole = cv2.dilate(hole.astype(np.uint8), np.ones((3, 3), np.uint8))
    filled, grain = _fill_small(small, hole, paper, settings)
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
    small: np.ndarray, hole: np.ndarray, paper: Paper, settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """Fill the holes of the working copy; returns it and the per-pixel grain (std) paper fills should get.

    ``auto`` inpaints a hole only when it is thin (text, not a card) and sits mostly on objects (a plant):
    paper is what lies under everything else."""
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
    thin = 0.02 * max(h, w)
    objects, background = paper.objects, paper.background
    for k in range(1, n):
        x, y, bw, bh, _ = stats[k]
        x0, y0 = max(0, x - ring_k), max(0, y - ring_k)
        x1, y1 = min(w, x + bw + ring_k), min(h, y + bh + ring_k)
        comp = (labels[y0:y1, x0:x1] == k).astype(np.uint8)
        ring = cv2.dilate(comp, kernel).astype(bool) & ~hole[y0:y1, x0:x1].astype(bool)
        if not ring.any():
            continue
        crop = small[y0:y1, x0:x1]
        obj = objects[y0:y1, x0:x1]
        if mode == "auto" and min(bw, bh) <= thin and obj[ring].mean() > 0.5:
            to_inpaint[y0:y1, x0:x1][comp > 0] = 1
            continue
        bare = ring & ~obj
        bg = background[y0:y1, x0:x1]
        if bg[comp > 0].mean() > 0.5:  # a ruler or colour bar on the background: take the background's colour
            pick = next((m for m in (bare & bg, bare) if m.sum() >= 10), ring)
        else:
            pick = next((m for m in (bare & ~bg, bare) if m.sum() >= 10), ring)
        ring_px = crop[pick]
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
