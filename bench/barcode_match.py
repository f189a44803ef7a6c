"""Tuning ``herbproc.ocr.barcode_match`` on synthetic barcodes: how often the bars mend a misread digit, and how
often they break a right reading, by module width, blur and margin.

    python bench/barcode_match.py --numbers 200 --seed 1

Each case: a random catalogue number drawn as Code 39 or Code 128, shrunk to 1.2-2.2 px per module (area), blurred,
noised and JPEG-compressed as a GBIF image's barcode is; the "OCR reading" is the number itself (half the cases)
or the number with one digit slipped (``CONFUSABLE``). The band is given (``barcode_bands`` is not what is tuned).
Printed per margin: of the misread cases, mended / made wrong otherwise / left; of the right readings, kept / broken.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from herbproc.ocr import barcode_match as bm  # noqa: E402

WIDTH = [1.2, 2.2]  # pixels per module
BLUR = [0.3, 0.9]  # sigma, pixels


def synthetic_band(number: str, fmt: str, rng: np.random.Generator) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    modules = bm.drawn(number, fmt)
    assert modules is not None
    width = rng.uniform(WIDTH[0], WIDTH[1])
    row = np.concatenate([np.full(12, 255.0), modules, np.full(12, 255.0)])
    big = np.tile(row, (40, 1)).astype(np.float32)
    size = (max(8, int(round(len(row) * width))), 40)
    img = cv2.resize(big, size, interpolation=cv2.INTER_AREA)
    img = cv2.GaussianBlur(img, (0, 0), sigmaX=rng.uniform(BLUR[0], BLUR[1]))
    img = 40 + img * rng.uniform(0.7, 0.85) + rng.normal(0, rng.uniform(3, 8), img.shape)
    page = np.full((80, img.shape[1] + 60), 235.0, np.float32)
    page[20:60, 30 : 30 + img.shape[1]] = img
    page = np.clip(page, 0, 255).astype(np.uint8)
    ok, jpg = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(60, 90))])
    page = cv2.imdecode(jpg, cv2.IMREAD_GRAYSCALE)
    return page, (30 + int(12 * width), 20, img.shape[1] - int(24 * width), 40)


def misread(number: str, rng: np.random.Generator) -> str:
    spots = [i for i, ch in enumerate(number) if ch in bm.CONFUSABLE]
    i = int(rng.choice(spots))
    return number[:i] + str(rng.choice(list(bm.CONFUSABLE[number[i]]))) + number[i + 1 :]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--numbers", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--margins", type=float, nargs="+", default=[0.0, 0.01, 0.02, 0.03, 0.05])
    p.add_argument("--width", type=float, nargs=2, default=WIDTH, metavar=("LO", "HI"), help="pixels per module")
    p.add_argument("--blur", type=float, nargs=2, default=BLUR, metavar=("LO", "HI"), help="blur sigma, pixels")
    args = p.parse_args(argv)
    if not (0.5 <= args.width[0] <= args.width[1] <= 6 and 0 <= args.blur[0] <= args.blur[1] <= 4):
        p.error("--width: 0.5 <= LO <= HI <= 6 pixels per module; --blur: 0 <= LO <= HI <= 4")
    WIDTH[:], BLUR[:] = args.width, args.blur
    rng = np.random.default_rng(args.seed)
    cases = []
    for _ in range(args.numbers):
        number = "".join(str(d) for d in rng.integers(0, 10, int(rng.integers(6, 11))))
        fmt = str(rng.choice(bm.FORMATS))
        page, box = synthetic_band(number, fmt, rng)
        read = number if rng.random() < 0.5 else misread(number, rng)
        cases.append((number, read, page, box))
    print(f"{len(cases)} synthetic barcodes, seed {args.seed}, {WIDTH[0]}-{WIDTH[1]} px a module, blur {BLUR[0]}-{BLUR[1]}; "
          f"MIN_FIT {bm.MIN_FIT}")
    print("margin | misread: mended / other wrong / left | right reading: kept / broken")
    for margin in args.margins:
        bm.MARGIN = margin
        mended = other = left = kept = broken = 0
        for number, read, page, box in cases:
            got = bm.matched_number(page, read, bands=[box]) or read
            if read != number:
                mended += got == number
                other += got not in (number, read)
                left += got == read
            else:
                kept += got == number
                broken += got != number
        print(f"{margin:6.3f} | {mended:4d} / {other:4d} / {left:4d} | {kept:4d} / {broken:4d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
