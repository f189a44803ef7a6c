"""Which region a text line belongs to: a round letter of large type is no stamp, and a stamp keeps its own
lines. Sheets drawn here with a Debian font (fonts-freefont-ttf)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from herbproc.sheet.detect import Detections, detect, without_repeats
from herbproc.sheet.textdet import Line

MONO = Path("/usr/share/fonts/truetype/freefont/FreeMono.ttf")
pytestmark = pytest.mark.skipif(not MONO.exists(), reason="fonts-freefont-ttf is not installed")

BODY = ["Lecanora elmensis Smith", "Bark of Thuja, Elm Lake", "Rosa County", "coll. A. Bell   6 July 1955"]


def packet(header: str, size: int) -> Image.Image:
    """A typed packet label: a header in large type along the top edge over four lines of body text."""
    im = Image.new("RGB", (1600, 900), (236, 232, 222))
    draw = ImageDraw.Draw(im)
    draw.text((340, 10), header, font=ImageFont.truetype(str(MONO), size), fill=(40, 40, 40))
    body = ImageFont.truetype(str(MONO), 40)
    for k, text in enumerate(BODY):
        draw.text((80, 120 + 90 * k), text, font=body, fill=(40, 40, 40))
    return im


def kind_of_line_at(det: Detections, y: int) -> str | None:
    line = min(det.lines, key=lambda ln: abs(ln.box[1] - y))
    return det.regions[line.region].kind if line.region >= 0 else None


@pytest.mark.parametrize("size", [52, 64])
def test_a_header_whose_middle_letter_is_an_o_stays_on_the_label(size: int) -> None:
    det = detect(np.asarray(packet("FUNGI OF ROSA", size)))  # the line's centre falls inside the O of "OF"
    assert any(r.kind == "stamp" and r.source == "ring" for r in det.regions)  # the O is found as a ring …
    assert kind_of_line_at(det, 15) == "label"  # … but the line is longer than the ring: no stamp holds it


def test_an_oval_stamp_keeps_the_lines_inside_it() -> None:
    im = packet("FUNGI OF ROSA", 40)
    draw = ImageDraw.Draw(im)
    draw.ellipse((1150, 500, 1500, 760), outline=(150, 40, 120), width=7)
    small = ImageFont.truetype(str(MONO), 34)
    draw.text((1225, 570), "HERBARIUM", font=small, fill=(150, 40, 120))
    draw.text((1250, 640), "ELMTON", font=small, fill=(150, 40, 120))
    det = detect(np.asarray(im))
    assert kind_of_line_at(det, 570) == "stamp"
    assert kind_of_line_at(det, 640) == "stamp"


def _line(x0: float, y0: float, x1: float, y1: float) -> Line:
    return Line(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32), 0.9)


def test_words_found_twice_are_kept_once() -> None:
    whole = _line(0, 0, 400, 40)
    piece = _line(100, 4, 160, 36)  # the same words, cut short at a searched area's edge
    below = _line(0, 36, 300, 76)  # the next line, touching the first: a few pixels shared
    short = _line(320, 44, 360, 72)  # a short word of its own beside it
    assert without_repeats([whole, piece, below, short]) == [whole, below, short]
    assert without_repeats([piece, whole]) == [whole]


def card_sheet(card: tuple[int, int, int], ink: tuple[int, int, int]) -> np.ndarray:
    """A sheet with a card of its own colour on it and four lines of text on the card."""
    im = Image.new("RGB", (1600, 2000), (236, 232, 222))
    draw = ImageDraw.Draw(im)
    draw.rectangle((300, 1200, 1400, 1700), fill=card)
    for k, text in enumerate(["Elmia rosea Bell", "Rosa Camp, Elm Lake", "No. 2832 A. BELL, Collector", "Jan. 10, 1910"]):
        draw.text((360, 1250 + 100 * k), text, font=ImageFont.truetype(str(MONO), 40), fill=ink)
    return np.asarray(im.filter(ImageFilter.GaussianBlur(1.0)))


@pytest.mark.parametrize("ink", [(40, 40, 40), (60, 45, 30)])  # black, sepia
def test_black_ink_on_a_yellowed_card_is_a_label_not_a_stamp(ink: tuple[int, int, int]) -> None:
    det = detect(card_sheet((222, 200, 140), ink))  # the card's yellow is the paper's age, not the ink's colour
    assert {r.kind for r in det.regions if r.lines} == {"label"}


def test_coloured_ink_on_a_card_is_a_stamp() -> None:
    det = detect(card_sheet((222, 200, 140), (150, 40, 120)))
    assert {r.kind for r in det.regions if r.lines} == {"stamp"}
