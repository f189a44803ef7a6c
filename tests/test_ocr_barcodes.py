"""ocr.barcodes: the sheet's barcode gives catalogNumber exactly where OCR misreads the digits printed under it;
small bars are decoded enlarged; of several barcodes the one the lines also read; real sheets decode to their gold."""

from __future__ import annotations

import csv

import cv2
import numpy as np
import pytest
import zxingcpp
from conftest import shared_fixture

from herbproc.ocr import LabelReader, ocr_settings
from herbproc.ocr import barcodes as bc
from herbproc.ocr.barcodes import catalogue_number, read_barcodes
from herbproc.ocr.engines import Reading
from herbproc.store.decode import decode_original


def symbol(text: str, module: int = 2) -> np.ndarray:
    """A Code 39 symbol of ``text``, ``module`` pixels per bar, with its quiet zone (grey, black on white)."""
    image = np.asarray(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code39).to_image(scale=module))
    return cv2.copyMakeBorder(image, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)


def sheet(*codes: str, size: tuple[int, int] = (2100, 1400), module: int = 2, upright: bool = False) -> np.ndarray:
    """A white RGB sheet with the symbols of ``codes`` down its right side (turned upright with ``upright``) and
    the text of each printed under it."""
    page = np.full((*size, 3), 245, np.uint8)
    y = 60
    for code in codes:
        mark = symbol(code, module)
        if upright:
            mark = np.ascontiguousarray(np.rot90(mark))
        h, w = mark.shape
        x = size[1] - w - 60
        page[y : y + h, x : x + w] = mark[..., None]
        cv2.putText(page, code, (x + 20, y + h + 40), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (20, 20, 20), 3)
        y += h + 120
    return page


def test_a_barcode_is_decoded_on_the_sheet_upright_or_not() -> None:
    assert read_barcodes(sheet("COLO 01014810")) == ["COLO 01014810"]
    assert read_barcodes(sheet("TENN-L-0000065", upright=True)) == ["TENN-L-0000065"]
    assert read_barcodes(np.full((800, 600, 3), 255, np.uint8)) == []


def test_bars_of_one_pixel_are_decoded_enlarged(monkeypatch: pytest.MonkeyPatch) -> None:
    small = cv2.resize(sheet("01014810", module=2), None, fx=0.7, fy=0.7, interpolation=cv2.INTER_AREA)
    assert read_barcodes(small) == ["01014810"]
    monkeypatch.setattr(bc, "ENLARGE_UP_TO", 0)  # no second try: these bars are too thin to decode as they are
    monkeypatch.setattr(bc, "BANDS_TRIED", 0)
    assert read_barcodes(small) == []


def faint_sheet(code: str, module: float, contrast: float, lying: bool = False) -> np.ndarray:
    """A 2100 x 1400 grey sheet with a short Code 39 symbol of ``code`` near its top right, ``module`` pixels per
    bar (a fraction: bars resampled, as on a photographed sheet) at ``contrast`` of full black on the paper."""
    image = np.asarray(zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.Code39).to_image(scale=2))
    mark = cv2.resize(image.astype(np.float32), (int(image.shape[1] * module / 2), 30), interpolation=cv2.INTER_AREA)
    page = np.full((2100, 1400), 245.0, np.float32)
    h, w = mark.shape
    page[200 : 200 + h, 1320 - w : 1320] = 245 - (245 - mark) * contrast
    page = np.clip(page, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.rot90(page)) if lying else page


@pytest.mark.parametrize("lying", [False, True])
def test_faint_bars_of_a_pixel_and_a_fifth_are_decoded_from_their_band_enlarged(
    monkeypatch: pytest.MonkeyPatch, lying: bool
) -> None:
    page = faint_sheet("CBS.14749", module=1.2, contrast=0.4, lying=lying)
    assert bc.barcode_bands(page if not lying else np.ascontiguousarray(page.T))[0][2] >= 150
    assert read_barcodes(page) == ["CBS.14749"]
    monkeypatch.setattr(bc, "BANDS_TRIED", 0)  # the whole sheet, as it is and enlarged twice, does not decode
    assert read_barcodes(page) == []


def test_blurred_faint_jpeg_bars_are_decoded_smoothed_along_their_length(monkeypatch: pytest.MonkeyPatch) -> None:
    page = cv2.GaussianBlur(faint_sheet("CBS.14749", module=1.17, contrast=0.4), (0, 0), 0.5)
    page = cv2.imdecode(cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, 60])[1], cv2.IMREAD_GRAYSCALE)
    assert read_barcodes(page) == ["CBS.14749"]
    monkeypatch.setattr(bc, "SMOOTH_ALONG_BARS", 0)  # only enlarged, the noisy edges of bars this thin do not decode
    assert read_barcodes(page) == []


def test_a_wide_faint_symbol_is_tried_before_short_sharp_stripes() -> None:
    page = faint_sheet("01075805", module=2.0, contrast=0.3)
    for y in range(600, 1600, 200):  # short dark hatchings, sharper than the symbol but a quarter of its width
        page[y : y + 30, 300:360:3] = 20
    x, y, w, h = bc.barcode_bands(page)[0]
    assert w >= 200 and abs(y - 200) < 15, (x, y, w, h)


def test_stripes_that_are_no_symbol_decode_to_nothing() -> None:
    page = np.full((2100, 1400), 245, np.uint8)
    rng = np.random.default_rng(7)
    for x in range(900, 1200, 3):
        page[200:240, x : x + int(rng.integers(1, 3))] = 60  # a band of bars of no code, as hatching or a ruler
    assert bc.barcode_bands(page)
    assert read_barcodes(page) == []


@pytest.mark.parametrize(
    ("codes", "lines", "expected"),
    [
        (["00040904"], [], "00040904"),
        (["00040904", "ACC 1977-123"], ["NEW YORK BOTANICAL GARDEN", "00040904"], "00040904"),
        (["00040904", "ACC 1977-123"], ["NEW YORK BOTANICAL GARDEN"], ""),  # which one is the catalogue's?
        ([], ["00040904"], ""),
        (["01142983"], ["01142963"], "01142983"),  # the printed digits misread: the symbol's checks hold
        (["0000006918378"], ['"00000691837'], "0000006918378"),
        (["PGJGIID0F"], ["The Elmton Museum (E)", "C0605590F"], ""),  # another text decoded: what OCR read stands
    ],
)
def test_the_catalogue_number_of_the_sheets_barcodes(codes: list[str], lines: list[str], expected: str) -> None:
    assert catalogue_number(codes, lines) == expected


class Misreading:
    """Every crop read as the printed number with an 8 taken for a 6 (what the reader does on small digits)."""

    name = "misreading"

    def read(self, crops):
        return [Reading("01014610", 0.9, self.name) for _ in crops]


@pytest.mark.parametrize("barcodes", [True, False])
def test_the_reader_takes_the_barcodes_number_over_the_misread_digits(barcodes: bool) -> None:
    reader = LabelReader(ocr_settings(barcodes=barcodes), engines=[Misreading()])
    result = reader.read(sheet("01014810"))
    assert result.barcodes == (["01014810"] if barcodes else [])
    assert result.darwin_core()["catalogNumber"] == ("01014810" if barcodes else "01014610")
    assert result.to_json()["barcodes"] == result.barcodes


def test_real_sheets_barcodes_decode_to_their_gold_catalogue_number() -> None:
    folder = shared_fixture("aocr_gold")
    decoded = 0
    for path in sorted((folder / "parsed").glob("*.csv"))[:8]:
        with path.open(newline="", encoding="utf-8") as f:
            gold = next(r for r in csv.DictReader(f) if r["aocr:regionType"] == "barcode")["dwc:catalogNumber"]
        image = decode_original((folder / "images" / f"{path.stem}.jpg").read_bytes(), 60_000_000)
        found = read_barcodes(image)
        assert len(found) <= 1 and all(b.lstrip("0") == gold.lstrip("0") for b in found), (path.stem, found, gold)
        decoded += len(found)
    assert decoded >= 6  # 29 of the 30 decode (bench/barcodes.py); NY_00040919 is defocused
