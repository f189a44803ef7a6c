"""Cards: small RGBA images (a label, a slip, a stamp, a barcode sticker...) with the boxes of their text lines,
pasted onto the sheet turned by a small angle; the truth polygons turn with them."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw

from herbproc.synthetic.fonts import FontFile, load_font, shown

RGB = tuple[int, int, int]


@dataclass
class TextLine:
    text: str
    box: tuple[float, float, float, float]  # card coordinates
    fields: list[str]
    style: str
    font: str
    occluded: float = 0.0  # share of the line's box under an occluding strip


@dataclass
class Card:
    kind: str  # label | annotation | stamp | barcode | ruler | colour_chart | packet
    rgba: np.ndarray  # h x w x 4
    lines: list[TextLine] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> tuple[int, int]:
        return self.rgba.shape[1], self.rgba.shape[0]


class CardPainter:
    """PIL drawing on a card, recording every text line it writes."""

    def __init__(self, width: int, height: int, background: tuple[int, int, int, int]):
        self.image = Image.new("RGBA", (width, height), background)
        self.draw = ImageDraw.Draw(self.image)
        self.lines: list[TextLine] = []

    def text(
        self,
        xy: tuple[float, float],
        segments: list[tuple[str, FontFile, int]],
        ink: tuple[int, int, int, int],
        fields: list[str],
        style: str,
        rng: random.Random | None = None,
        wobble: float = 0.0,
    ) -> TextLine:
        """Write segments (text, font, size) one after another on one line from ``xy`` (left end of the
        baseline). ``wobble`` moves each word up or down by up to that share of the size."""
        x, y = xy
        box = [math.inf, math.inf, -math.inf, -math.inf]
        texts = []
        space_font = None
        for seg_i, (raw, ff, size) in enumerate(segments):
            text = shown(ff, raw)
            font = load_font(ff, size)
            if seg_i > 0 and space_font is not None:
                x += space_font.getlength(" ")
            words = text.split(" ") if wobble and rng is not None else [text]
            for w_i, word in enumerate(words):
                dy = rng.uniform(-wobble, wobble) * size if wobble and rng is not None else 0.0
                if word:
                    self.draw.text((x, y + dy), word, font=font, fill=ink, anchor="ls")
                    b = self.draw.textbbox((x, y + dy), word, font=font, anchor="ls")
                    box = [min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3])]
                x += font.getlength(word)
                if w_i < len(words) - 1:
                    x += font.getlength(" ")
            texts.append(text)
            space_font = font
        line = TextLine(" ".join(texts), (box[0], box[1], box[2], box[3]), fields, style, segments[0][1].name)
        self.lines.append(line)
        return line

    def card(self, kind: str) -> Card:
        return Card(kind, np.asarray(self.image).copy(), self.lines)


def text_width(segments: list[tuple[str, FontFile, int]]) -> float:
    total = 0.0
    for i, (text, ff, size) in enumerate(segments):
        font = load_font(ff, size)
        total += font.getlength(shown(ff, text)) + (font.getlength(" ") if i else 0.0)
    return total


def wrap(text: str, ff: FontFile, size: int, width: float) -> list[str]:
    """Greedy word wrap to ``width`` pixels."""
    font = load_font(ff, size)
    out: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and font.getlength(shown(ff, trial)) > width:
            out.append(current)
            current = word
        else:
            current = trial
    if current:
        out.append(current)
    return out


def rotated(card: Card, angle_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """The card turned by ``angle_deg`` (counter-clockwise, expanded to fit) and the 2x3 affine matrix from card
    coordinates to those of the turned image."""
    w, h = card.size
    if abs(angle_deg) < 1e-6:
        return card.rgba, np.array([[1.0, 0, 0], [0, 1.0, 0]])
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(math.ceil(h * sin + w * cos)) + 2, int(math.ceil(h * cos + w * sin)) + 2
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    out = cv2.warpAffine(
        card.rgba,
        m,
        (nw, nh),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0, 0),
    )
    return out, m


def corners(box: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64)


def apply(m: np.ndarray, pts: np.ndarray, offset: tuple[float, float]) -> np.ndarray:
    return pts @ m[:, :2].T + m[:, 2] + np.asarray(offset)


def blend(canvas: np.ndarray, rgba: np.ndarray, x: int, y: int, shadow: float = 0.0) -> None:
    """Alpha-blend ``rgba`` onto ``canvas`` with its top-left corner at (x, y); clipped to the canvas."""
    h, w = rgba.shape[:2]
    H, W = canvas.shape[:2]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, W), min(y + h, H)
    if x0 >= x1 or y0 >= y1:
        return
    src = rgba[y0 - y : y1 - y, x0 - x : x1 - x]
    a = src[..., 3:4].astype(np.float32) / 255.0
    dst = canvas[y0:y1, x0:x1].astype(np.float32)
    if shadow > 0:
        # a soft shadow down and to the right of the card's edges
        sa = np.zeros_like(a[..., 0])
        d = 3
        sa[d:, d:] = a[:-d, :-d, 0] if a.shape[0] > d and a.shape[1] > d else 0
        dst *= 1 - shadow * (sa * (1 - a[..., 0]))[..., None]
    out = dst * (1 - a) + src[..., :3].astype(np.float32) * a
    canvas[y0:y1, x0:x1] = np.clip(out + 0.5, 0, 255).astype(np.uint8)


def place(
    canvas: np.ndarray, card: Card, x: int, y: int, angle_deg: float, shadow: float, object_id: int
) -> dict:
    """Paste the turned card with the top-left of its turned image at (x, y); return its truth object."""
    img, m = rotated(card, angle_deg)
    blend(canvas, img, x, y, shadow)
    H, W = canvas.shape[:2]
    poly = apply(m, corners((0, 0, card.size[0], card.size[1])), (x, y))
    lines = []
    for ln in card.lines:
        lp = apply(m, corners(ln.box), (x, y))
        lines.append(
            {
                "text": ln.text,
                "box": int_box(lp, W, H),
                "polygon": round_poly(lp),
                "fields": ln.fields,
                "style": ln.style,
                "font": ln.font,
                "handwritten": ln.style == "handwriting",
                "occluded": round(ln.occluded, 3),
            }
        )
    obj = {
        "id": object_id,
        "kind": card.kind,
        "box": int_box(poly, W, H),
        "polygon": round_poly(poly),
        "angle": round(angle_deg, 3),
        "lines": lines,
    }
    obj.update(card.extra)
    return obj


def int_box(pts: np.ndarray, W: int, H: int) -> list[int]:
    """[x0, y0, x1, y1] in whole pixels covering the points (x1, y1 exclusive), clipped to the image."""
    x0, y0 = np.floor(pts.min(axis=0))
    x1, y1 = np.ceil(pts.max(axis=0))
    return [int(max(0, x0)), int(max(0, y0)), int(min(W, x1)), int(min(H, y1))]


def round_poly(pts: np.ndarray) -> list[list[float]]:
    return [[round(float(a), 1), round(float(b), 1)] for a, b in pts]


def turned_size(card: Card, angle_deg: float) -> tuple[int, int]:
    w, h = card.size
    a = math.radians(abs(angle_deg))
    if a < 1e-8:
        return w, h
    return int(math.ceil(h * math.sin(a) + w * math.cos(a))) + 2, int(
        math.ceil(h * math.cos(a) + w * math.sin(a))
    ) + 2
