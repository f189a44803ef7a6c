"""The digits printed under a barcode that does not decode, checked against its bars
(``herbproc.ocr.barcode_match``): a misread digit is mended where the bars fit the mended number clearly better, a
right reading is kept, and nothing is changed where no band fits or the reading is no number. The barcodes are
drawn here (zxing-cpp's writer), shrunk to under two pixels a module, blurred and JPEG-compressed."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from herbproc.fields import Field
from herbproc.ocr import barcode_match as bm
from herbproc.ocr.reader import apply_bars_fit


def band(number: str, fmt: str, width: float = 1.5, blur: float = 0.6) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A page holding ``number``'s barcode at ``width`` pixels a module, and the band's box."""
    row = np.concatenate([np.full(12, 255.0), bm.drawn(number, fmt), np.full(12, 255.0)])
    big = np.tile(row, (40, 1)).astype(np.float32)
    img = cv2.resize(big, (int(round(len(row) * width)), 40), interpolation=cv2.INTER_AREA)
    img = 40 + 0.8 * cv2.GaussianBlur(img, (0, 0), sigmaX=blur)
    page = np.full((80, img.shape[1] + 60), 235.0, np.float32)
    page[20:60, 30 : 30 + img.shape[1]] = img
    _, jpg = cv2.imencode(".jpg", page.astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 75])
    return cv2.imdecode(jpg, cv2.IMREAD_GRAYSCALE), (30 + int(12 * width), 20, img.shape[1] - int(24 * width), 40)


def test_candidates_are_the_reading_and_its_one_digit_slips() -> None:
    found = bm.candidates("1068")
    assert found[0] == "1068" and len(found) == len(set(found))
    assert {"1088", "7068", "1868", "1066"} <= set(found) and "1099" not in found


@pytest.mark.parametrize("fmt", bm.FORMATS)
@pytest.mark.parametrize("number, read", [("01014810", "01014610"), ("01827856", "01627856"), ("4419302", "4419302")])
def test_the_bars_mend_a_misread_digit_and_keep_a_right_reading(fmt: str, number: str, read: str) -> None:
    page, box = band(number, fmt)
    got = bm.matched_number(page, read, bands=[box])
    assert (got or read) == number, got


def test_nothing_changes_where_no_band_fits_or_the_reading_is_no_number() -> None:
    page, box = band("01014810", "Code39")
    assert bm.matched_number(page, "COLO 0101461O", bands=[box]) is None, "no number: the reading stands"
    assert bm.matched_number(page, "123", bands=[box]) is None, "too short to be a catalogue number"
    blank = np.full((80, 300), 230, np.uint8)
    assert bm.matched_number(blank, "01014610", bands=[(20, 20, 260, 40)]) is None, "no bars: no contrast"
    noise = np.random.default_rng(0).integers(0, 255, (80, 300)).astype(np.uint8)
    assert bm.matched_number(noise, "01014610", bands=[(20, 20, 260, 40)]) is None, "bars of no number"
    assert bm.matched_number(page, "01014610", bands=[]) is None


def test_the_mended_number_replaces_only_the_reading_it_was_matched_for() -> None:
    fields = {"catalogNumber": Field("01014610", 0.8, 3)}
    apply_bars_fit(fields, ("01014610", "01014810"))
    assert fields["catalogNumber"] == Field("01014810", 0.8, 3)
    apply_bars_fit(fields, ("99999999", "11111111"))
    assert fields["catalogNumber"].value == "01014810", "another reading: left"
    apply_bars_fit(fields, None)
    empty: dict[str, Field] = {}
    apply_bars_fit(empty, ("01014610", "01014810"))
    assert empty == {}
