"""A printed form's dotted leader under typed text (``herbproc.ocr.leaders``, ``ocr.leaders``): its dots are
painted out of the crop, the letters and the full stops between them kept; the reader reads such lines again
without their dots and keeps the better reading; a reading without dots is left alone; a bad switch is refused.

The form line is drawn here: a caption, a run of dots to the page's edge, and a typed place on the dots.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from herbproc.ocr import LabelReader, ocr_settings
from herbproc.ocr.engines import Reading
from herbproc.ocr.leaders import typed_on_leader, without_leaders
from herbproc.ocr.lines import LabelLine

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf"  # fonts-dejavu-core (scripts/setup.sh)
TYPED = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


def form_line(typed: str, dotted: bool = True) -> np.ndarray:
    """``Loc.`` and a leader of dots across the line, ``typed`` over the dots, as a line crop 48 px high."""
    im = Image.new("RGB", (900, 48), (246, 244, 236))
    draw = ImageDraw.Draw(im)
    draw.text((6, 10), "Loc", font=ImageFont.truetype(SERIF, 26), fill=(30, 30, 30))
    if dotted:
        for x in range(58, 890, 9):
            draw.ellipse((x, 36, x + 3, 39), fill=(40, 40, 40))
    draw.text((120, 4), typed, font=ImageFont.truetype(TYPED, 28), fill=(25, 25, 25))  # its foot on the dots
    return np.asarray(im)


def ink(crop: np.ndarray) -> np.ndarray:
    return crop.mean(axis=2) < 128


def test_the_leaders_dots_are_painted_out_and_the_letters_kept() -> None:
    plain, dotted = form_line("A.J. Elm, Rosa Co.", dotted=False), form_line("A.J. Elm, Rosa Co.")
    cleaned, dots = without_leaders(dotted)
    assert dots >= 40
    assert ink(dotted).sum() > ink(plain).sum() * 1.2, "the drawn leader adds ink"
    kept = (ink(cleaned) & ink(plain)).sum() / ink(plain).sum()
    extra = (ink(cleaned) & ~ink(plain)).sum() / ink(plain).sum()
    assert kept > 0.97, f"the letters and their full stops stay ({kept:.3f})"
    assert extra < 0.03, f"the leader's dots go ({extra:.3f})"


def test_a_line_without_a_leader_is_left_as_it_is() -> None:
    plain = form_line("A. J. Elm, Rosa Co.", dotted=False)
    cleaned, dots = without_leaders(plain)
    assert dots == 0 and cleaned is plain
    assert without_leaders(np.zeros((4, 4, 3), np.uint8))[1] == 0, "a crop too small to hold a line"


@pytest.mark.parametrize(
    "text, shown",
    [("Loc....e...ae...Luce....o", True), ("Coll. . . A. Bell", True), ("No.____1234", True), ("Loc…Elm", True),
     ("A.J. Bell", False), ("Elm Co.", False), ("", False), ("Loc...", False), ("Det. . . .", False)],
)
def test_what_a_reading_of_a_leader_shows(text: str, shown: bool) -> None:
    assert typed_on_leader(text) is shown


def test_the_reader_reads_a_leaders_line_again_without_its_dots() -> None:
    """Where the first reading shows the leader (whichever lines the recogniser reads so), the line is read again
    without the dots and that reading holds the typed words whole; with ``ocr.leaders`` off it is not."""
    reader = LabelReader(ocr_settings(reread=False), threads=2)
    off = LabelReader(ocr_settings(reread=False, leaders=False), threads=2)
    shown = 0
    for typed in ("Elm Lake", "A. Bell 1234", "Rosaville", "Pike Lake, Rosa Co."):
        crop = form_line(typed)
        line = LabelLine(0, 0, np.array([[0, 0], [900, 0], [900, 48], [0, 48]], np.float32), (crop, crop))
        readings = reader._read_lines([line])[0]
        first = [r for r in readings if not r.engine.endswith("-leaders")]
        again = [r for r in readings if r.engine.endswith("-leaders")]
        if not any(typed_on_leader(r.text) for r in first):
            assert not again, "no leader shown: not read again"
            continue
        shown += 1
        assert len(again) == 1, [r.engine for r in readings]
        assert typed in again[0].text and not typed_on_leader(again[0].text), again[0].text
        assert not any(r.engine.endswith("-leaders") for r in off._read_lines([line])[0])
    assert shown >= 2, "the drawn leader shows in the readings of most of these lines"


def test_a_line_read_without_dots_is_not_read_again() -> None:
    reader = LabelReader(ocr_settings(), engines=[], threads=1)
    line = LabelLine(0, 0, np.zeros((4, 2), np.float32), (form_line("Pike Lake"),))
    readings = [[Reading("Loc. Pike Lake", 0.99, "ppocr")]]
    reader._read_without_leaders([line], readings)
    assert readings == [[Reading("Loc. Pike Lake", 0.99, "ppocr")]]


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_a_switch_that_is_not_true_or_false_is_refused_in_one_line(value: object) -> None:
    with pytest.raises(ValueError) as err:
        ocr_settings(leaders=value)
    assert "'ocr.leaders'" in str(err.value) and "\n" not in str(err.value)
