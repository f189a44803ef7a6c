"""A sheet's barcodes (zxing-cpp): the catalogue number as the barcode encodes it, beside what OCR reads of the
digits printed under it.

A herbarium barcodes every sheet with its catalogue number (Code 39 or Code 128, now and then a DataMatrix). The
symbol carries its own checks, so where it decodes it is exact, where the printed digits under it are read with an
8 for a 6 or cut off at the image's edge. Bars of one pixel do not decode: a small image is tried again enlarged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import cv2
import numpy as np

from herbproc.fields.text import fold

# an image whose long side is at most this is tried again at twice its size when nothing decodes (bars of about a
# pixel: 1400 x 2100 sheets, packets photographed alone); larger ones would cost more than they find
ENLARGE_UP_TO = 4000
_CATALOGUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._:/-]{2,38}[A-Za-z0-9]")


def read_barcodes(image: np.ndarray) -> list[str]:
    """The texts of the 1-D barcodes and DataMatrix symbols on ``image`` (RGB or grey), each once, in the
    decoder's order; [] when none decodes."""
    import zxingcpp

    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    formats = (zxingcpp.BarcodeFormat.AllLinear, zxingcpp.BarcodeFormat.DataMatrix)
    found = zxingcpp.read_barcodes(np.ascontiguousarray(grey), formats=formats)
    if not found and max(grey.shape[:2]) <= ENLARGE_UP_TO:
        larger = cv2.resize(grey, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
        found = zxingcpp.read_barcodes(larger, formats=formats)
    texts = [" ".join(b.text.split()) for b in found]
    return list(dict.fromkeys(t for t in texts if _CATALOGUE.fullmatch(t)))


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


def catalogue_number(barcodes: Sequence[str], lines: Sequence[str]) -> str:
    """The sheet's catalogue number from its barcodes: the one there is, or of several the one whose text the
    OCR lines also hold (its digits printed under it); '' when none, or several and the lines name none of them."""
    if len(barcodes) == 1:
        return barcodes[0]
    keys = [_key(ln) for ln in lines]
    seen = [b for b in barcodes if _key(b) and any(_key(b) in k for k in keys)]
    return seen[0] if len(seen) == 1 else ""
