"""The digits printed under a barcode that does not decode, checked against its bars.

On a mid-sized image (a 1400 x 2100 GBIF download) a herbarium's barcode has bars of a pixel or two: the decoder
finds nothing, and OCR reads the digits printed under it with the slips digits make at that size (``01014610``
for ``01014810``: 8 read as 6). The bars still say which: the number and each of its one-digit slips
(``CONFUSABLE``) are drawn as a barcode (Code 39, Code 128), blurred and stretched to the band's width, and
compared with the band's grey profile across the bars. The best fit is taken when it fits well and clearly
better than every other candidate (``MIN_FIT``, ``MARGIN``: tuned on synthetic barcodes, ``bench/barcode_match.py``);
else the OCR's reading stands.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import cv2
import numpy as np

from herbproc.ocr.barcodes import BANDS_TRIED, barcode_bands

# digits OCR takes for one another at a few pixels high (8 for 6, 0 for 8, 1 for 7 ...)
CONFUSABLE = {"0": "86", "1": "7", "3": "8", "5": "6", "6": "850", "7": "1", "8": "6309", "9": "8"}
FORMATS = ("Code39", "Code128")
UP = 4  # the profile is enlarged this many times before the fit (sub-pixel shifts)
BLUR = 2.0  # the drawn bars are blurred by this sigma, in enlarged pixels (a camera's half pixel)
SCALES = np.linspace(0.96, 1.04, 9)  # the symbol's width is taken from its outer bars, within these
MIN_FIT = 0.7  # correlation the best candidate must reach
MARGIN = 0.02  # ... and its lead over the next candidate
MAX_DIGITS = 14


def candidates(number: str) -> list[str]:
    """``number`` and each of its readings with one digit taken for a confusable one."""
    out = [number]
    for i, ch in enumerate(number):
        out += [number[:i] + d + number[i + 1 :] for d in CONFUSABLE.get(ch, "")]
    return list(dict.fromkeys(out))


def drawn(text: str, fmt: str) -> np.ndarray | None:
    """One row of ``text``'s barcode in ``fmt``, a value per module (0 bar, 255 space); None if it cannot be drawn."""
    import zxingcpp

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            image = zxingcpp.write_barcode(getattr(zxingcpp.BarcodeFormat, fmt), text, width=0, height=4, quiet_zone=0)
    except (ValueError, RuntimeError):
        return None
    return np.asarray(image, np.float32)[0]


def profile(grey: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The grey across a band's bars (the middle of its height averaged), enlarged UP times, from its first bar
    to its last with a little margin; None when the band holds no contrast."""
    x, y, w, h = box
    band = grey[y + h // 5 : y + h - h // 5, max(0, x - 10) : x + w + 10].astype(np.float32)
    if band.size == 0:
        return None
    p = band.mean(axis=0)
    p = cv2.resize(p.reshape(1, -1), (len(p) * UP, 1), interpolation=cv2.INTER_CUBIC)[0]
    lo, hi = np.percentile(p, 5), np.percentile(p, 95)
    if hi - lo < 20:
        return None
    dark = np.nonzero(p < (lo + hi) / 2)[0]
    return p[max(0, dark[0] - 2 * UP) : dark[-1] + 1 + 2 * UP]


def fit(p: np.ndarray, modules: np.ndarray) -> float:
    """The best correlation of the drawn ``modules`` with profile ``p`` over the SCALES and every shift."""
    best = -1.0
    inner = len(p) - 4 * UP
    for scale in SCALES:
        size = int(round(inner * scale))
        if size < len(modules) or size > len(p):
            continue
        r = cv2.resize(modules.reshape(1, -1), (size, 1), interpolation=cv2.INTER_AREA)
        r = cv2.GaussianBlur(r, (0, 0), sigmaX=BLUR)[0]
        r = (r - r.mean()) / (r.std() + 1e-6)
        windows = np.lib.stride_tricks.sliding_window_view(p, size)
        w = (windows - windows.mean(axis=1, keepdims=True)) / (windows.std(axis=1, keepdims=True) + 1e-6)
        best = max(best, float((w @ r).max() / size))
    return best


def matched_number(image: np.ndarray, number: str, bands: Sequence[tuple[int, int, int, int]] | None = None) -> str | None:
    """The catalogue number the sheet's barcode bars fit, of ``number`` (digits read by OCR) and its one-digit
    slips: the best fit over the bands and formats when it reaches MIN_FIT and leads every other candidate by
    MARGIN; None when no band fits so (the OCR's reading then stands)."""
    if not number.isdigit() or not 4 <= len(number) <= MAX_DIGITS:
        return None
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    found = list(bands) if bands is not None else barcode_bands(grey)[:BANDS_TRIED]
    names = candidates(number)
    best: tuple[float, float, str] | None = None  # (fit, lead over the next candidate, number)
    for box in found:
        p = profile(grey, box)
        if p is None:
            continue
        for fmt in FORMATS:
            scored = []
            for name in names:
                modules = drawn(name, fmt)
                if modules is not None and len(modules) * 1.2 <= len(p):
                    scored.append((fit(p, modules), name))
            if len(scored) < 2:
                continue
            scored.sort(reverse=True)
            top = (scored[0][0], scored[0][0] - scored[1][0], scored[0][1])
            if best is None or top[0] > best[0]:
                best = top
    if best is None or best[0] < MIN_FIT or best[1] < MARGIN:
        return None
    return best[2]
