"""A label photographed on its own (a lichen or moss packet, a label-only image): its print is some 5% of the
image's long side, far taller than on a sheet. ``detect`` must still take each printed line whole: the first pass
once refused such lines as "a whole page taken for one line", and the finer pass, pointed only at the longer
words, lost what stood apart: the day of ``19 April 1998``, a middle initial, the ``on`` before a host's name.
The number printed upright beside a packet's barcode is print too, though no card is found around it (the packet
fills the photograph).
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from herbproc.ocr import LabelReader, ocr_settings
from herbproc.sheet.detect import detect

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"  # fonts-dejavu-core (scripts/setup.sh)
LINES = [
    "Herbarium of the Elmton Museum",
    "on Quercus alba L.",
    "Harbour County: Cedar Point, along the shore",
    "19 April 1998",
    "Jane Q. Sample 4512",
]


UPRIGHT = "ELM-L-0004512"


@pytest.fixture(scope="module")
def packet() -> tuple[np.ndarray, dict[str, tuple[int, int, int, int]]]:
    """A packet label filling the photograph, and the box of every line drawn on it."""
    im = Image.new("RGB", (1630, 1125), (228, 226, 220))
    draw = ImageDraw.Draw(im)
    draw.rectangle((120, 40, 1500, 1090), fill=(250, 249, 245))
    face = ImageFont.truetype(FONT, 44)
    boxes = {}
    for k, text in enumerate(LINES):
        x, y = (260, 120 + k * 190)
        draw.text((x, y), text, font=face, fill=(25, 25, 25))
        boxes[text] = tuple(int(v) for v in draw.textbbox((x, y), text, font=face))
    sans = ImageFont.truetype(FONT.replace("Serif", "Sans"), 34)
    strip = Image.new("RGB", (460, 50), (250, 249, 245))
    ImageDraw.Draw(strip).text((6, 4), UPRIGHT, font=sans, fill=(25, 25, 25))
    im.paste(strip.rotate(90, expand=True), (1400, 300))  # reads bottom to top, as beside a barcode
    boxes[UPRIGHT] = (1400, 300, 1450, 760)
    return np.asarray(im), boxes


def test_upright_print_beside_a_barcode_is_read(packet):
    image, boxes = packet
    x0, y0, x1, y1 = boxes[UPRIGHT]
    upright = [ln for ln in detect(image).lines if x0 <= ln.polygon[:, 0].mean() <= x1]
    assert upright and y0 <= min(ln.box[1] for ln in upright) + 40 and max(ln.box[3] for ln in upright) >= y1 - 60
    texts = LabelReader(ocr_settings(), threads=1).read(image).texts
    assert UPRIGHT in texts, texts
