"""The other things on a sheet: accession stamp, barcode sticker, ruler, colour bar, fragment packet."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image

from herbproc.synthetic.barcode import code128_modules
from herbproc.synthetic.cards import Card, CardPainter
from herbproc.synthetic.fonts import FONTS, UTILITY_FONTS, load_font, pick_font
from herbproc.synthetic.world import Specimen

STAMP_INKS = [(168, 32, 44), (40, 62, 150), (98, 42, 120), (30, 30, 34), (34, 110, 70)]
# a colour checker's patches (sRGB) and a grey scale
PATCHES = [
    (115, 82, 68), (194, 150, 130), (98, 122, 157), (87, 108, 67), (133, 128, 177), (103, 189, 170),
    (214, 126, 44), (80, 91, 166), (193, 90, 99), (94, 60, 108), (157, 188, 64), (224, 163, 46),
    (56, 61, 150), (70, 148, 73), (175, 54, 60), (231, 199, 31), (187, 86, 149), (8, 133, 161),
]  # fmt: skip
GREYS = [(243, 243, 242), (200, 200, 200), (160, 160, 160), (122, 122, 121), (85, 85, 85), (52, 52, 52)]
MONTHS3 = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def stamp(sp: Specimen, unit: float, rng: random.Random) -> Card:
    """An inked accession stamp, oval or rectangular, with the institution and sometimes a date."""
    words = list(sp.institution.stamp)
    dated = rng.random() < 0.5
    if dated:
        year = min(2023, sp.date.year + rng.randint(1, 60))
        words[1] = f"{MONTHS3[rng.randrange(12)]} {rng.randint(1, 28):02d} {year}"
    size = max(8, int(unit * 0.75))
    ff = UTILITY_FONTS[0] if rng.random() < 0.6 else pick_font(FONTS["serif_bold"], "".join(words), 0)
    oval = rng.random() < 0.6
    text_w = max(load_font(ff, size).getlength(word) for word in words)
    w = int(max(unit * (11 if oval else 10), text_w * (1.45 if oval else 1.2) + size))
    h = int(
        max(unit * (5.2 if oval else 4.2), size * 1.25 * len(words) * (1.45 if oval else 1.15) + size * 0.5)
    )
    ink = rng.choice(STAMP_INKS)
    p = CardPainter(w, h, (0, 0, 0, 0))
    lw = max(2, int(unit * 0.14))
    if oval:
        p.draw.ellipse([lw, lw, w - lw, h - lw], outline=(*ink, 255), width=lw)
        p.draw.ellipse([lw * 3, lw * 3, w - lw * 3, h - lw * 3], outline=(*ink, 255), width=max(1, lw // 2))
    else:
        p.draw.rectangle([lw, lw, w - lw, h - lw], outline=(*ink, 255), width=lw)
    gap = size * 1.25
    y = h / 2 - gap * len(words) / 2 + size * 0.05
    for k, word in enumerate(words):
        sz = size if k != 1 or not dated else int(size * 1.05)
        tw = load_font(ff, sz).getlength(word)
        fields = ["institutionCode"] if not (dated and k == 1) else []
        p.text(((w - tw) / 2, y + sz * 0.85), [(word, ff, sz)], (*ink, 255), fields, "stamp")
        y += gap
    card = p.card("stamp")
    # uneven inking: some of the ink never reached the paper
    alpha = card.rgba[..., 3].astype(np.float32)
    spots = _blotches(w, h, rng)
    card.rgba[..., 3] = np.clip(alpha * rng.uniform(0.7, 0.92) * (0.55 + 0.45 * spots), 0, 255).astype(
        np.uint8
    )
    card.extra["shape"] = "oval" if oval else "rectangle"
    return card


def _blotches(w: int, h: int, rng: random.Random) -> np.ndarray:
    nr = np.random.default_rng(rng.getrandbits(32))
    small = nr.random((max(2, h // 6), max(2, w // 6))).astype(np.float32)
    img = Image.fromarray((small * 255).astype(np.uint8)).resize((w, h), Image.BILINEAR)
    return np.asarray(img).astype(np.float32) / 255.0


def barcode(sp: Specimen, unit: float, rng: random.Random) -> Card:
    """A white sticker: Code 128 bars with the catalog number printed under them."""
    text = sp.catalog_number
    modules = code128_modules(text, quiet=8)
    mw = max(1, int(round(unit * 0.1)))
    bar_h = max(16, int(unit * 2.4))
    size = max(8, int(unit * 0.7))
    ff = UTILITY_FONTS[1]
    w = len(modules) * mw
    h = bar_h + int(size * 1.9)
    p = CardPainter(w, h, (252, 252, 250, 255))
    xs = np.flatnonzero(modules)
    for x in xs:
        p.draw.rectangle(
            [x * mw, int(size * 0.3), x * mw + mw - 1, int(size * 0.3) + bar_h], fill=(18, 18, 18, 255)
        )
    tw = load_font(ff, size).getlength(text)
    p.text(
        ((w - tw) / 2, bar_h + size * 1.35), [(text, ff, size)], (20, 20, 20, 255), ["catalogNumber"], "sans"
    )
    card = p.card("barcode")
    card.extra["code"] = text
    card.extra["module_px"] = mw
    return card


def ruler(px_per_cm: float, unit: float, rng: random.Random) -> Card:
    """A 10 or 15 cm scale with mm ticks and cm numbers."""
    cm = rng.choice([10, 15])
    margin = int(px_per_cm * 0.6)
    w = int(cm * px_per_cm + 2 * margin)
    h = max(20, int(unit * 1.9))
    dark = rng.random() < 0.35
    bg, fg = (
        ((28, 28, 30), (236, 236, 232))
        if dark
        else (rng.choice([(246, 244, 236), (236, 224, 170)]), (20, 20, 20))
    )
    p = CardPainter(w, h, (*bg, 255))
    size = max(8, int(unit * 0.6))
    ff = UTILITY_FONTS[0]
    tick_w = max(1, int(round(px_per_cm / 40)))
    for mm in range(cm * 10 + 1):
        x = int(round(margin + mm * px_per_cm / 10))
        length = int(h * (0.42 if mm % 10 == 0 else 0.28 if mm % 5 == 0 else 0.17))
        p.draw.rectangle([x, 0, x + tick_w - 1, length], fill=(*fg, 255))
    font = load_font(ff, size)
    every = next(k for k in (1, 2, 5, 10) if k * px_per_cm >= font.getlength("00") * 1.6 or k == 10)
    for c in range(every, cm, every):
        label = str(c)
        x = margin + c * px_per_cm - font.getlength(label) / 2
        p.text((x, h * 0.48 + size * 0.8), [(label, ff, size)], (*fg, 255), [], "sans")
    p.text((margin * 0.2, h * 0.48 + size * 0.8), [("cm", ff, size)], (*fg, 255), [], "sans")
    card = p.card("ruler")
    card.extra.update(px_per_cm=round(px_per_cm, 3), length_cm=cm)
    return card


def colour_chart(unit: float, rng: random.Random) -> Card:
    cols = rng.choice([6, 9])
    rows = 2 if cols == 9 else 3
    cell = int(unit * rng.uniform(1.0, 1.4))
    gap = max(1, cell // 10)
    w = cols * (cell + gap) + gap
    h = (rows + 1) * (cell + gap) + gap
    p = CardPainter(w, h, (24, 24, 26, 255))
    start = rng.randrange(len(PATCHES))
    for r in range(rows):
        for c in range(cols):
            colour = PATCHES[(start + r * cols + c) % len(PATCHES)]
            x, y = gap + c * (cell + gap), gap + r * (cell + gap)
            p.draw.rectangle([x, y, x + cell - 1, y + cell - 1], fill=(*colour, 255))
    gw = (w - 2 * gap) / len(GREYS)
    for k, g in enumerate(GREYS):
        x = int(round(gap + k * gw))
        y = gap + rows * (cell + gap)
        p.draw.rectangle([x, y, max(x, int(round(gap + (k + 1) * gw)) - 1), y + cell - 1], fill=(*g, 255))
    return p.card("colour_chart")


def packet(unit: float, rng: random.Random) -> Card:
    """A folded paper envelope for loose fragments (no text)."""
    w, h = int(unit * rng.uniform(9, 13)), int(unit * rng.uniform(6, 9))
    tone = rng.choice([(248, 247, 242), (240, 236, 222), (236, 232, 236)])
    p = CardPainter(w, h, (*tone, 255))
    shade = tuple(int(c * 0.93) for c in tone)
    fold = int(h * rng.uniform(0.25, 0.4))
    p.draw.rectangle([0, 0, w, fold], fill=(*shade, 255))
    p.draw.line([0, fold, w, fold], fill=(*[int(c * 0.8) for c in tone], 255), width=max(1, int(unit * 0.06)))
    p.draw.rectangle([0, 0, w - 1, h - 1], outline=(*[int(c * 0.85) for c in tone], 255), width=1)
    return p.card("packet")
