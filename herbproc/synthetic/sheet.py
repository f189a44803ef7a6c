"""Compose one herbarium sheet: paper, plant, tape, label cards and the rest, degradations, and its truth."""

from __future__ import annotations

import io
import json
import math
import random
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image

from herbproc.synthetic import labels, objects
from herbproc.synthetic.cards import Card, place, turned_size
from herbproc.synthetic.plant import BUD, FLOWER, FRUIT, build_plant, draw_plant, fit, organ_boxes
from herbproc.synthetic.rng import numpy_rng, py_rng
from herbproc.synthetic.world import World, occurrence_row

SHEET_CM = 42.0  # a herbarium sheet is about 29 x 42 cm: the ruler's scale follows the longer side
PAPER_TONES = [(238, 234, 222), (242, 239, 230), (233, 226, 206), (236, 233, 226), (228, 221, 200)]
BACKGROUNDS = [(36, 36, 40), (46, 44, 42), (28, 30, 36)]
TRUTH_VERSION = 1


@dataclass
class Sheet:
    """A rendered sheet: ``image`` (H x W x 3 uint8 RGB), ``truth`` (JSON-ready dict), ``plant_mask``
    (H x W uint8, 255 = plant), ``organs`` (H x W uint8 organ codes of herbproc.synthetic.plant)."""

    image: np.ndarray
    truth: dict[str, Any]
    plant_mask: np.ndarray
    organs: np.ndarray
    jpeg_quality: int = 90

    def jpeg_bytes(self) -> bytes:
        buf = io.BytesIO()
        Image.fromarray(self.image).save(
            buf, format="JPEG", quality=self.jpeg_quality, subsampling=2, optimize=False
        )
        return buf.getvalue()

    def mask_png_bytes(self) -> bytes:
        buf = io.BytesIO()
        Image.fromarray(self.plant_mask).save(buf, format="PNG", compress_level=6)
        return buf.getvalue()

    def truth_json(self) -> str:
        return json.dumps(self.truth, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box, gap: float) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


class Layout:
    """Non-overlapping places for the cards inside the paper."""

    def __init__(self, paper: Box, gap: float):
        self.paper, self.gap = paper, gap
        self.boxes: list[Box] = []

    def fits(self, box: Box) -> bool:
        p = self.paper
        inside = box[0] >= p[0] and box[1] >= p[1] and box[2] <= p[2] and box[3] <= p[3]
        return inside and not any(_overlaps(box, b, self.gap) for b in self.boxes)

    def take(self, candidates: list[tuple[float, float]], size: tuple[int, int]) -> tuple[int, int] | None:
        for x, y in candidates:
            box = (x, y, x + size[0], y + size[1])
            if self.fits(box):
                self.boxes.append(box)
                return int(x), int(y)
        return None


def _add_signed(img: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """``img`` (H x W x 3 uint8) plus a signed single-channel ``delta``, saturating (OpenCV is much faster
    than NumPy here)."""
    d = np.rint(delta)
    pos = cv2.cvtColor(np.clip(d, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2RGB)
    neg = cv2.cvtColor(np.clip(-d, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2RGB)
    return cv2.subtract(cv2.add(img, pos), neg)


def _paper(h: int, w: int, paper: Box, nrng: np.random.Generator, rng: random.Random) -> np.ndarray:
    tone = np.array(rng.choice(PAPER_TONES), np.float32)
    tone -= np.array([0, 1, 3], np.float32) * rng.uniform(0, 2)  # slight yellowing
    bg = rng.choice(BACKGROUNDS)
    x0, y0, x1, y1 = (int(v) for v in paper)
    mottle = nrng.standard_normal((h // 48 + 2, w // 48 + 2)).astype(np.float32)
    lum = cv2.resize(mottle, (w, h), interpolation=cv2.INTER_CUBIC) * np.float32(1.6)
    lum += np.linspace(rng.uniform(-5, 0), rng.uniform(0, 5), w, dtype=np.float32)[None, :]
    for _ in range(rng.randint(0, 3)):  # foxing spots
        cx, cy, r = rng.uniform(x0, x1), rng.uniform(y0, y1), rng.uniform(3, 12) * w / 1500
        cv2.circle(lum, (int(cx), int(cy)), max(1, int(r)), -rng.uniform(8, 18), -1, lineType=cv2.LINE_AA)
    out = np.empty((h, w, 3), np.uint8)
    out[:] = bg
    out[y0:y1, x0:x1] = np.clip(tone + 0.5, 0, 255).astype(np.uint8)
    return _add_signed(out, lum)


def _tape(canvas: np.ndarray, x: float, y: float, angle: float, unit: float, rng: random.Random) -> Box:
    length, width = unit * rng.uniform(2.8, 4.2), unit * rng.uniform(0.55, 0.8)
    a = angle + math.pi / 2 + rng.uniform(-0.2, 0.2)
    rect = ((x, y), (length, width), math.degrees(a))
    pts = cv2.boxPoints(rect)
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    ix0, iy0 = max(0, int(x0) - 2), max(0, int(y0) - 2)
    ix1, iy1 = min(canvas.shape[1], int(x1) + 3), min(canvas.shape[0], int(y1) + 3)
    if ix0 >= ix1 or iy0 >= iy1:
        return (x0, y0, x1, y1)
    mask = np.zeros((iy1 - iy0, ix1 - ix0), np.uint8)
    cv2.fillPoly(
        mask, [np.round((pts - (ix0, iy0)) * 16).astype(np.int32)], 255, lineType=cv2.LINE_AA, shift=4
    )
    alpha = mask.astype(np.float32)[..., None] / 255.0 * rng.uniform(0.7, 0.85)
    region = canvas[iy0:iy1, ix0:ix1].astype(np.float32)
    colour = np.array((247, 245, 238), np.float32)
    canvas[iy0:iy1, ix0:ix1] = np.clip(region * (1 - alpha) + colour * alpha + 0.5, 0, 255).astype(np.uint8)
    return (x0, y0, x1, y1)


def render_sheet(world: World, index: int) -> Sheet:
    """Draw sheet ``index`` of the world. Depends only on (settings, seed, index)."""
    s = world.settings
    sp = world.specimen(index)
    rng = py_rng(world.seed, "render", index)
    nrng = numpy_rng(world.seed, "render", index)
    W, H = s.width, s.height
    unit = W * 0.0125
    px_per_cm = max(W, H) / SHEET_CM

    # the things on the sheet, made first so that the layout knows their sizes
    angle = lambda: rng.uniform(-s.label_rotation_deg, s.label_rotation_deg)  # noqa: E731
    label_styles = labels.Styles.choose(rng, s, s.handwriting_share)
    label = labels.render_text_card(
        "label", labels.main_label_lines(sp, rng), label_styles, int(W * rng.uniform(0.36, 0.46)),
        max(8, int(round(unit * rng.uniform(0.9, 1.1)))), rng, s,
    )  # fmt: skip
    cards: list[tuple[str, Card, float]] = [("label", label, angle())]
    if sp.determiner:
        slip_styles = labels.Styles.choose(rng, s, 0.6)
        slip = labels.render_text_card(
            "annotation", labels.annotation_lines(sp, rng), slip_styles, int(W * rng.uniform(0.26, 0.33)),
            max(8, int(round(unit * 0.85))), rng, s,
        )  # fmt: skip
        cards.append(("annotation", slip, angle()))
    cards.append(("barcode", objects.barcode(sp, unit, rng), angle() * 0.5))
    cards.append(("stamp", objects.stamp(sp, unit, rng), angle() * 3))
    ruler = objects.ruler(px_per_cm, unit, rng)
    chart = objects.colour_chart(unit, rng)
    has_packet = rng.random() < s.packet_share
    if has_packet:
        cards.append(("packet", objects.packet(unit, rng), angle()))

    # the paper and, when there is a dark background band, the ruler and colour bar on it
    m = s.background_margin * W
    on_band = m > 0 and rng.random() < 0.6
    band = max(ruler.size[1], chart.size[1]) + m if on_band else 0
    paper = (
        m * rng.uniform(0.7, 1.3),
        m * rng.uniform(0.7, 1.3) + band,
        W - m * rng.uniform(0.7, 1.3),
        H - m * rng.uniform(0.7, 1.3),
    )
    canvas = _paper(H, W, paper, nrng, rng)
    pad, gap = W * rng.uniform(0.012, 0.03), W * 0.012
    layout = Layout(paper, gap)
    placed: list[tuple[Card, int, int, float]] = []
    if on_band:
        rx = paper[0] + W * rng.uniform(0.02, 0.2)
        placed.append((ruler, int(rx), int((band - ruler.size[1]) / 2 + m * 0.1), 0.0))
        cx = rx + ruler.size[0] + W * rng.uniform(0.02, 0.08)
        placed.append((chart, int(cx), int((band - chart.size[1]) / 2 + m * 0.1), 0.0))
    else:
        top = [(paper[0] + pad, paper[1] + pad), (paper[0] + W * 0.2, paper[1] + pad)]
        pos = layout.take(top, ruler.size)
        if pos:
            placed.append((ruler, *pos, 0.0))
            cpos = layout.take(
                [
                    (pos[0] + ruler.size[0] + gap * 2, paper[1] + pad),
                    (paper[2] - pad - chart.size[0], paper[1] + pad),
                ],
                chart.size,
            )
            if cpos:
                placed.append((chart, *cpos, 0.0))

    label_box = None
    for kind, card, ang in cards:
        tw, th = turned_size(card, ang)
        x_right, y_bottom = paper[2] - pad - tw, paper[3] - pad - th
        if kind == "label":
            cands = [
                (x_right - rng.uniform(0, W * 0.02), y_bottom - rng.uniform(0, H * 0.01)),
                (x_right, y_bottom),
            ]
        elif kind == "annotation":
            lb = label_box or (x_right, y_bottom, x_right, y_bottom)
            above = (lb[2] - tw, lb[1] - gap * 1.5 - th)
            left = (lb[0] - gap * 1.5 - tw, paper[3] - pad - th)
            cands = [above, left] if rng.random() < 0.6 else [left, above]
        elif kind == "barcode":
            cands = [
                (paper[0] + pad, y_bottom),
                (paper[0] + pad, paper[1] + pad + ruler.size[1] * 2),
            ]
            if label_box:
                cands.insert(rng.randrange(2), (label_box[0], label_box[1] - gap * 1.5 - th))
        elif kind == "stamp":
            cands = [(x_right, paper[1] + pad + rng.uniform(0, H * 0.03))]
            if label_box:
                cands.append((label_box[0] - gap * 2 - tw, label_box[1] - th * 0.2))
            cands.append((paper[0] + pad, paper[1] + H * 0.12))
        else:  # packet
            cands = [(paper[0] + pad + W * rng.uniform(0, 0.15), paper[3] - pad - th - H * 0.05 * rng.random()),
                     (paper[0] + W * 0.3, paper[3] - pad - th)]  # fmt: skip
        pos = layout.take(cands, (tw, th))
        if pos is None and kind in ("label", "annotation", "barcode"):
            pos = layout.take([(x, y) for y in np.linspace(paper[3] - pad - th, paper[1] + pad, 12)
                               for x in np.linspace(paper[2] - pad - tw, paper[0] + pad, 8)], (tw, th))  # fmt: skip
        if pos is None:
            continue
        placed.append((card, pos[0], pos[1], ang))
        if kind == "label":
            label_box = (pos[0], pos[1], pos[0] + tw, pos[1] + th)

    # the plant, in the space above the label; wherever a card will lie the paper shows through
    top = max([paper[1] + H * 0.025] + [b[3] + gap for b in layout.boxes if b[3] < paper[1] + H * 0.15])
    low = [b[1] for b in layout.boxes if b[1] > (paper[1] + paper[3]) / 2]  # the cards in the lower half
    bottom = min(low + [paper[3] - pad]) - H * rng.uniform(0.005, 0.02)
    if bottom - top < 0.3 * (paper[3] - paper[1]):  # a crowded (wide) sheet: let cards cover some plant
        top = paper[1] + H * 0.02
        bottom = max(bottom, top + 0.3 * (paper[3] - paper[1]))
    plant_box = (paper[0] + W * 0.04, top, paper[2] - W * 0.04, bottom)
    phen = set(sp.phenology)
    plant = build_plant(sp.taxon.look, H, rng, phen)
    fit(plant, plant_box, rng)
    background = canvas.copy()
    organs = np.zeros((H, W), np.uint8)
    draw_plant(plant, canvas, organs)
    keep_out = np.zeros((H, W), bool)
    card_boxes = []
    for card, x, y, ang in placed:
        tw, th = turned_size(card, ang)
        x0, y0 = max(0, x - 3), max(0, y - 3)
        x1, y1 = min(W, x + tw + 3), min(H, y + th + 3)
        keep_out[y0:y1, x0:x1] = True
        card_boxes.append((x0, y0, x1, y1))
    np.copyto(canvas, background, where=keep_out[..., None])
    organs[keep_out] = 0
    for tx, ty, ta in plant.tape_points:
        tape_box = (tx - unit * 3, ty - unit * 3, tx + unit * 3, ty + unit * 3)
        if not any(_overlaps(tape_box, b, 0) for b in card_boxes):
            _tape(canvas, tx, ty, ta, unit, rng)

    truth_objects = []
    for k, (card, x, y, ang) in enumerate(placed):
        truth_objects.append(
            place(
                canvas,
                card,
                x,
                y,
                ang,
                0.35 if card.kind in ("label", "annotation", "packet", "barcode") else 0.0,
                k,
            )
        )

    image = _degrade(canvas, s, nrng)
    plant_mask = np.where(organs > 0, 255, 0).astype(np.uint8)
    hist = np.bincount(organs.ravel(), minlength=8)
    counts = {name: int(hist[code]) for name, code in (("flowers", FLOWER), ("fruits", FRUIT), ("buds", BUD))}
    bx, by, bw, bh = cv2.boundingRect(plant_mask)
    plant_box_px = [bx, by, bx + bw, by + bh]
    shown = sorted({f for o in truth_objects for ln in o["lines"] for f in ln["fields"]})
    record = occurrence_row(sp)
    truth = {
        "version": TRUTH_VERSION,
        "gbifID": sp.gbif_id,
        "sheet_index": index,
        "seed": world.seed,
        "image": {
            "width": W,
            "height": H,
            "file": f"images/{sp.gbif_id}.jpg",
            "px_per_cm": round(px_per_cm, 3),
        },
        "species": {
            "species_id": sp.taxon.id,
            "scientificName": sp.taxon.scientific_name,
            "canonicalName": sp.taxon.canonical_name,
            "scientificNameAuthorship": sp.taxon.authorship,
            "family": sp.taxon.family,
            "genus": sp.taxon.genus,
            "specificEpithet": sp.taxon.specific_epithet,
            "infraspecificEpithet": sp.taxon.infraspecific_epithet,
            "taxonRank": sp.taxon.rank,
        },
        "phenology": {
            "flowers": sp.flowers,
            "fruits": sp.fruits,
            "buds": sp.buds,
            "state": sp.phenology,
            "reproductiveCondition": sp.reproductive_condition,
        },
        "plant": {
            "box": plant_box_px,
            "pixels": int(cv2.countNonZero(plant_mask)),
            "organ_pixels": counts,
            "organs": [
                {"kind": o["kind"], "box": [round(float(v), 1) for v in o["box"]]}
                for o in _organ_boxes(plant, W, H, card_boxes)
            ],
            "habit": sp.taxon.look.habit,
        },
        "objects": truth_objects,
        "dwc": record,
        "label_fields": shown,
        "degradation": {
            "blur": s.blur,
            "fading": s.fading,
            "downsample": s.downsample,
            "noise": s.noise,
            "jpeg_quality": s.jpeg_quality,
            "handwritten_label": label_styles.body == "handwriting",
            "occluded_cards": [o["id"] for o in truth_objects if "occluder" in o],
        },
    }
    return Sheet(image, truth, plant_mask, organs, s.jpeg_quality)


def _organ_boxes(plant, W: int, H: int, card_boxes: list) -> list[dict]:
    """Boxes of the flowers, buds and fruits that no card hides."""
    out = []
    for kind, b in organ_boxes(plant):
        box = (max(0.0, b[0]), max(0.0, b[1]), min(float(W), b[2]), min(float(H), b[3]))
        if not any(_overlaps(box, cb, 0) for cb in card_boxes):
            out.append({"kind": kind, "box": box})
    return out


def _degrade(canvas: np.ndarray, s, nrng: np.random.Generator) -> np.ndarray:
    img = canvas
    H, W = img.shape[:2]
    if s.blur > 0:
        img = cv2.GaussianBlur(img, (0, 0), s.blur)
    if s.downsample > 1:
        small = cv2.resize(
            img, (max(1, int(W / s.downsample)), max(1, int(H / s.downsample))), interpolation=cv2.INTER_AREA
        )
        img = cv2.resize(small, (W, H), interpolation=cv2.INTER_LINEAR)
    if s.noise > 0:
        img = _add_signed(img, nrng.standard_normal((H, W), dtype=np.float32) * np.float32(s.noise))
    return np.ascontiguousarray(img)
