"""A sheet's barcodes (zxing-cpp): the catalogue number as the barcode encodes it, beside what OCR reads of the
digits printed under it.

A herbarium barcodes every sheet with its catalogue number (Code 39 or Code 128, now and then a DataMatrix). The
symbol carries its own checks, so where it decodes it is exact, where the printed digits under it are read with an
8 for a 6 or cut off at the image's edge. Bars of one pixel do not decode: a small image is tried again enlarged,
and where that finds nothing either, the barcode-like bands of the sheet (where the grey changes much more across
than along: bars) are cut out and decoded each enlarged further, which a whole sheet could not afford.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import cv2
import numpy as np

from herbproc.fields.institutions import find_catalog_number
from herbproc.fields.text import fold

# an image whose long side is at most this is tried again at twice its size when nothing decodes (bars of about a
# pixel: 1400 x 2100 sheets, packets photographed alone); larger ones would cost more than they find
ENLARGE_UP_TO = 4000
# the barcode-like bands of a sheet are looked for on a copy whose long side is at most this (a band of bars
# stays one after halving a larger sheet) and decoded from the original enlarged these times
BAND_SEARCH_SIDE = 4000
BAND_SCALES = (3.0, 4.0)
BANDS_TRIED = 4  # per orientation; 0: the whole sheet only
# rows a band's JPEG noise is averaged over along its bars before it is widened with Lanczos (0: no such try)
SMOOTH_ALONG_BARS = 7
_CATALOGUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._:/-]{2,38}[A-Za-z0-9]")


def read_barcodes(image: np.ndarray) -> list[str]:
    """The texts of the 1-D barcodes and DataMatrix symbols on ``image`` (RGB or grey), each once, in the
    decoder's order; [] when none decodes."""
    import zxingcpp

    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    grey = np.ascontiguousarray(grey)
    formats = (zxingcpp.BarcodeFormat.AllLinear, zxingcpp.BarcodeFormat.DataMatrix)
    texts = [b.text for b in zxingcpp.read_barcodes(grey, formats=formats)]
    if not texts and max(grey.shape[:2]) <= ENLARGE_UP_TO:
        larger = cv2.resize(grey, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
        texts = [b.text for b in zxingcpp.read_barcodes(larger, formats=formats)]
    if not texts and BANDS_TRIED:
        texts = _read_bands(grey)
    texts = [" ".join(t.split()) for t in texts]
    return list(dict.fromkeys(t for t in texts if _CATALOGUE.fullmatch(t)))


def barcode_bands(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(x, y, w, h) of the bands of ``grey`` where bars upright side by side could be: the grey changes much more
    across than along over a strip wider than high and no wider than half the image. Strongest first, by that
    change summed across the band: a symbol is wider than a word, and a defocused one is faint."""
    gx = np.abs(cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3))
    gy = np.abs(cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3))
    strength = cv2.blur(gx - gy, (15, 9))
    mask = (strength > 60).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 3)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    bands = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if 50 <= w <= grey.shape[1] // 2 and h >= 10 and w >= 1.5 * h:
            bands.append((float(strength[labels == i].mean()) * w, (x, y, w, h)))
    return [box for _, box in sorted(bands, key=lambda b: -b[0])]


def _read_bands(grey: np.ndarray) -> list[str]:
    """The texts decoded from the sheet's barcode-like bands (bars upright or lying), each cut out with its quiet
    zone and enlarged; the first band that decodes gives them."""
    import zxingcpp

    shrink = min(1.0, BAND_SEARCH_SIDE / max(grey.shape[:2]))
    small = grey if shrink == 1.0 else cv2.resize(grey, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    upright = [(grey, box) for box in barcode_bands(small)[:BANDS_TRIED]]
    found = upright + [(grey.T, box) for box in barcode_bands(np.ascontiguousarray(small.T))[:BANDS_TRIED]]
    formats = (zxingcpp.BarcodeFormat.AllLinear, zxingcpp.BarcodeFormat.DataMatrix)
    for page, (x, y, w, h) in found:
        x, y, w, h = (int(round(v / shrink)) for v in (x, y, w, h))
        margin = max(12, w // 6)
        crop = np.ascontiguousarray(page[max(0, y - 8) : y + h + 8, max(0, x - margin) : x + w + margin])
        for larger in _enlarged(crop):
            texts = [b.text for b in zxingcpp.read_barcodes(larger, formats=formats, try_rotate=False)]
            if texts:
                return texts
    return []


def _enlarged(crop: np.ndarray) -> Iterator[np.ndarray]:
    """``crop`` enlarged each of BAND_SCALES times, then with its JPEG noise smoothed along the bars (which keeps
    their widths) and widened three times with Lanczos (sharper edges than cubic for bars of about a pixel)."""
    for scale in BAND_SCALES:
        yield cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    if SMOOTH_ALONG_BARS:
        smooth = cv2.blur(crop, (1, SMOOTH_ALONG_BARS))
        yield cv2.resize(smooth, None, fx=3.0, fy=2.0, interpolation=cv2.INTER_LANCZOS4)


def misdecoded(code: str, lines: Sequence[str]) -> bool:
    """Whether the lines read a catalogue number as long as ``code`` that agrees with it in fewer than half of its
    characters: Code 39 carries no check character, and bars of a pixel enlarged can decode as another text
    ("PGJGIID0F" over a printed "C0605590F"), where OCR slips a character or two (an 8 read for a 6)."""
    for line in lines:
        printed = find_catalog_number(line)
        if printed is None or len(printed.number) != len(code) or printed.number == code:
            continue
        if sum(a == b for a, b in zip(printed.number, code, strict=True)) < len(code) / 2:
            return True
    return False


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


def catalogue_number(barcodes: Sequence[str], lines: Sequence[str]) -> str:
    """The sheet's catalogue number from its barcodes: the one there is, or of several the one whose text the
    OCR lines also hold (its digits printed under it); '' when none, or several and the lines name none of them,
    or the one there is was misdecoded (:func:`misdecoded`)."""
    if len(barcodes) == 1:
        return "" if misdecoded(barcodes[0], lines) else barcodes[0]
    keys = [_key(ln) for ln in lines]
    seen = [b for b in barcodes if _key(b) and any(_key(b) in k for k in keys)]
    return seen[0] if len(seen) == 1 else ""
