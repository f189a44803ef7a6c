"""Two names printed one over the other, a brace and one caption beside the pair (``herbproc.ocr.stacked``,
``ocr.stacked_rows``): the crop parts at the clear row between the names and at the brace; the reader reads such a
line again part by part and keeps the joined reading; other lines are left alone; a bad switch is refused; the
fields take the names before the caption for the collectors.

The party line is drawn here: two names in capitals, a brace reaching across both, the caption after it.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from herbproc.fields import extract_fields
from herbproc.ocr import LabelReader, ocr_settings
from herbproc.ocr.engines import Reading
from herbproc.ocr.lines import LabelLine
from herbproc.ocr.stacked import caption_read, joined_reading, names_beside_caption, stacked_rows

SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # fonts-dejavu-core (scripts/setup.sh)


def party_line(top: str, bottom: str | None, *more: str, brace: bool = True, faint: bool = False) -> np.ndarray:
    """``top`` over ``bottom`` (and ``more``) in capitals, a brace after them (grey when ``faint``) and
    ``COLLECTORS``, as one line crop: what the detector finds for such a party."""
    names = [top, *([bottom] if bottom else []), *more]
    height = 96 if len(names) < 3 else 120
    im = Image.new("RGB", (520, height), (238, 236, 228))
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(SANS, 17)
    first = 28 if len(names) < 3 else 20
    for k, name in enumerate(names):
        draw.text((20, first + 22 * k), name, font=font, fill=(40, 40, 40))
    if brace:
        size = 44 if len(names) < 3 else 66
        fill = (150, 150, 150) if faint else (40, 40, 40)
        draw.text((205, first - 8), "}", font=ImageFont.truetype(SANS, size), fill=fill)
    draw.text((235 if len(names) < 3 else 255, first + 11 * (len(names) - 1)), "COLLECTORS", font=font, fill=(40, 40, 40))
    return np.asarray(im)


def ink_columns(crop: np.ndarray) -> np.ndarray:
    return np.flatnonzero((crop.mean(axis=2) < 128).any(axis=0))


@pytest.mark.parametrize("faint", [False, True])
def test_the_pair_parts_between_the_names_and_at_the_brace(faint: bool) -> None:
    crop = party_line("N. L. ELMWOOD", "ARTHUR ROSEN", faint=faint)
    rows = stacked_rows(crop)
    assert rows is not None and len(rows.rows) == 2
    assert rows.rows[0][1] <= rows.rows[1][0], "the rows part at the clear row between them"
    top, bottom, caption = rows.crops(crop)
    names_right = ink_columns(party_line("N. L. ELMWOOD", "ARTHUR ROSEN", brace=False)[:, :200]).max()
    assert names_right < rows.names_end <= 210, "the names' part ends at the brace, every name in it"
    assert top.shape[0] < crop.shape[0] * 0.6 and bottom.shape[0] < crop.shape[0] * 0.6
    assert caption.shape[1] < crop.shape[1] - 220, "the caption's part starts after the brace"


@pytest.mark.parametrize(
    "crop",
    [
        party_line("N. L. ELMWOOD", None),  # one name beside its caption: one line already
        party_line("N. L. ELMWOOD", "ARTHUR ROSEN", brace=False),  # two rows, no brace: two lines the reader saw
        np.full((96, 520, 3), 238, np.uint8),  # blank
        np.zeros((8, 8, 3), np.uint8),  # too small to hold a line
        party_line("N. L. ELMWOOD", "ARTHUR ROSEN")[:, :250],  # cut after the brace: no room for the caption
    ],
)
def test_no_parting_without_two_rows_and_a_brace(crop: np.ndarray) -> None:
    assert stacked_rows(crop) is None


@pytest.mark.parametrize(
    "text, shown",
    [("D.J.CAER OLLECTORS", True), ("ARTHUR HOLICK COLLECTORS", True), ("N. Elm } Collectors", True),
     ("COLLECTORS", False), ("Collector: A. Bell", False), ("Plants collected in Elmia", False), ("", False)],
)  # fmt: skip
def test_what_a_reading_of_names_beside_their_caption_shows(text: str, shown: bool) -> None:
    assert names_beside_caption(text) is shown


@pytest.mark.parametrize(
    "text, read", [("COLLECTORS", True), ("} COLLETTORS", True), ("OLLECTOR8", True), ("Collector", True),
                   ("COLLECTIONS", False), ("DETERMINED", False), ("", False)]
)  # fmt: skip
def test_what_the_captions_part_read_alone_must_say(text: str, read: bool) -> None:
    assert caption_read(text) is read


def test_the_joined_reading_writes_small_capitals_read_as_small_letters_as_capitals() -> None:
    assert joined_reading(["j.k.small", "J.J. carteR"], "} COLLECTORS") == "J.K.SMALL & J.J. CARTER COLLECTORS"
    assert joined_reading(["N. Elm", "A. Rosen)"], "Colectors") == "N. Elm & A. Rosen Collectors"
    assert joined_reading(["N. Elm", "A. Rosen", "C. Dunn"], "COLLETTORS") == "N. ELM & A. ROSEN & C. DUNN COLLECTORS"


def _line(crop: np.ndarray) -> LabelLine:
    h, w = crop.shape[:2]
    return LabelLine(0, 0, np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32), (crop, crop))


def test_the_reader_reads_the_pair_again_row_by_row() -> None:
    reader = LabelReader(ocr_settings(reread=False), threads=2)
    line = _line(party_line("N. L. ELMWOOD", "ARTHUR ROSEN"))
    readings = [[Reading("N.E.ERNOSEN OLLECTORS", 0.8, "ppocr")]]
    reader._read_stacked_rows([line], readings)
    assert [r.engine for r in readings[0]] == ["ppocr-rows"]
    text = readings[0][0].text
    assert "ELMWOOD" in text and "ROSEN" in text and text.endswith("COLLECTORS") and " & " in text, text
    got = extract_fields(["EXPLORATION OF ELMIA", text])["recordedBy"].value
    assert got.endswith("Elmwood | Arthur Rosen"), got


def test_a_party_of_three_parts_into_three_names() -> None:
    crop = party_line("N. L. ELMWOOD", "J. F. ROSEN", "CARLOS DUNN")
    rows = stacked_rows(crop)
    assert rows is not None and len(rows.rows) == 3
    reader = LabelReader(ocr_settings(reread=False), threads=2)
    readings = [[Reading("N. L. ELMWOOD COLLECTORS", 0.8, "ppocr")]]
    reader._read_stacked_rows([_line(crop)], readings)
    text = readings[0][0].text
    assert all(word in text for word in ("ELMWOOD", "ROSEN", "DUNN")) and text.count(" & ") == 2, text


def test_a_line_without_the_caption_is_not_read_again() -> None:
    reader = LabelReader(ocr_settings(reread=False), threads=2)
    readings = [[Reading("N. L. ELMWOOD", 0.8, "ppocr")]]
    reader._read_stacked_rows([_line(party_line("N. L. ELMWOOD", "ARTHUR ROSEN"))], readings)
    assert readings == [[Reading("N. L. ELMWOOD", 0.8, "ppocr")]]


def test_with_the_switch_off_no_line_is_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    reader = LabelReader(ocr_settings(reread=False, stacked_rows=False), threads=2)

    def refuse(*_: object) -> None:
        raise AssertionError("read again with ocr.stacked_rows off")

    monkeypatch.setattr(reader, "_read_stacked_rows", refuse)
    assert reader._read_lines([_line(party_line("N. L. ELMWOOD", "ARTHUR ROSEN"))])


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_a_switch_that_is_not_true_or_false_is_refused_in_one_line(value: object) -> None:
    with pytest.raises(ValueError) as err:
        ocr_settings(stacked_rows=value)
    assert "'ocr.stacked_rows'" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    "line, collectors",
    [("N. L. BRITTON & ARTHUR HOLLICK COLLECTORS", "N. L. Britton | Arthur Hollick"),
     ("ARTHUR HOLLICK } COLLECTORS", "Arthur Hollick"), ("J.K.SMALL & J.J. CARTER COLLECTORS", "J.K. Small | J.J. Carter")],
)  # fmt: skip
def test_names_before_their_caption_on_one_line_are_the_collectors(line: str, collectors: str) -> None:
    got = extract_fields(["EXPLORATION OF ELMIA", "Elm Bay", line, "MARCH 9-12, 1908"])
    assert got["recordedBy"].value == collectors


@pytest.mark.parametrize("line", ["PLANT COLLECTORS", "COLLECTORS", "Elm Bay Collectors"])
def test_words_before_the_caption_that_are_no_names_give_no_collector(line: str) -> None:
    assert "recordedBy" not in extract_fields(["EXPLORATION OF ELMIA", line, "MARCH 9-12, 1908"])
