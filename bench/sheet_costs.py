#!/usr/bin/env python
"""CPU seconds per sheet of each CPU stage's own work, on real sheets: the basis of docs/scale.md.

For every image of a folder (default: the 30 full-resolution NYBG sheets of ``../shared/fixtures/aocr_gold``),
one thread, best of ``--repeats``:

- download: ``herbproc.download.validate.prepare`` (verify the bytes, decode, fit the 900 x 600 training copy)
  and the copy's JPEG encode and the JPEG bytes kept per sheet (original + training copy);
- mask: decoding the original, then ``mask_image`` (detection + fill at full resolution), then what the stage
  stores per sheet (the masked training copy as JPEG, the full-resolution mask as PNG, the detections as JSON);
- ocr: ``LabelReader.read`` on the mask's detections, as the OCR stage does by default
  (``ocr.reuse_detections``), default engine, no names.

No store or network: the figures are per-sheet compute, to multiply by the number of sheets. Prints a table of
means (and the slowest sheet) and, with ``--json``, writes every figure.

    python bench/sheet_costs.py [--images DIR] [--limit N] [--repeats 1] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from herbproc.download.validate import prepare  # noqa: E402
from herbproc.mask.masker import mask_image  # noqa: E402
from herbproc.mask.stage import png_bytes  # noqa: E402
from herbproc.ocr.reader import LabelReader  # noqa: E402
from herbproc.ocr.settings import ocr_settings  # noqa: E402
from herbproc.schema.mask import settings_from  # noqa: E402
from herbproc.sheet.textdet import get_detector  # noqa: E402
from herbproc.store.decode import decode_original  # noqa: E402
from herbproc.store.layout import core_arrays, encode_pixels, fit_into_canvas  # noqa: E402

DEFAULT_IMAGES = REPO.parent / "shared" / "fixtures" / "aocr_gold" / "images"


def best(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.process_time()
        out = fn()
        times.append(time.process_time() - t0)
    return min(times), out


def mask_outputs(result, image_spec) -> dict[str, bytes]:
    copy, _ = fit_into_canvas(result.masked, 900, 600, 0)
    return {
        "masked_copy": encode_pixels(image_spec, copy),
        "mask_full": png_bytes(result.mask),
        "detections": result.detections.dumps().encode(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=Path, default=DEFAULT_IMAGES)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    files = sorted(p for p in args.images.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    if args.limit:
        files = files[: args.limit]
    if not files:
        sys.exit(f"no images in {args.images}")
    cv2.setNumThreads(1)
    settings = settings_from(None, threads=1)
    detector = get_detector(1)
    reader = LabelReader(ocr_settings(), threads=1)
    image_spec = core_arrays(900, 600, "jpeg", 95, 3)["image"]  # the store's defaults
    print(
        f"# {platform.node()} {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; {len(files)} sheets"
    )
    rows = []
    for path in files:
        data = path.read_bytes()
        dl_s, copy = best(
            lambda d=data: encode_pixels(image_spec, prepare(d, height=900, width=600).copy), args.repeats
        )
        decode_s, image = best(lambda d=data: decode_original(d, 10**9), args.repeats)
        mask_s, result = best(lambda im=image: mask_image(im, settings, detector), args.repeats)
        store_s, stored = best(lambda r=result: mask_outputs(r, image_spec), args.repeats)
        ocr_s, _ = best(lambda im=image, det=result.detections: reader.read(im, None, det), args.repeats)
        row = {
            "sheet": path.name,
            "pixels": f"{image.shape[1]}x{image.shape[0]}",
            "original_kB": len(data) / 1e3,
            "training_copy_kB": len(copy) / 1e3,
            "download_s": dl_s,
            "decode_s": decode_s,
            "mask_s": mask_s,
            "mask_store_s": store_s,
            **{f"{k}_kB": len(v) / 1e3 for k, v in stored.items()},
            "ocr_s": ocr_s,
        }
        rows.append(row)
        print(
            f"{path.name:28s} {row['pixels']:>10s} {row['original_kB']:7.0f} kB  download {dl_s:5.2f} s  "
            f"decode {decode_s:5.2f} s  mask {mask_s:5.2f} + {store_s:4.2f} s  ocr {ocr_s:5.2f} s",
            flush=True,
        )
    print("\n| CPU seconds per sheet, one thread | mean | slowest |\n|---|---:|---:|")
    for key in ("download_s", "decode_s", "mask_s", "mask_store_s", "ocr_s"):
        values = [r[key] for r in rows]
        print(f"| {key[:-2]} | {statistics.mean(values):.2f} | {max(values):.2f} |")
    print(f"| original, kB | {statistics.mean(r['original_kB'] for r in rows):.0f} | |")
    print(
        f"| training copy (900 x 600 JPEG q95), kB | {statistics.mean(r['training_copy_kB'] for r in rows):.0f} | |"
    )
    for key in ("masked_copy_kB", "mask_full_kB", "detections_kB"):
        print(f"| {key[:-3].replace('_', ' ')}, kB | {statistics.mean(r[key] for r in rows):.0f} | |")
    print(f"# load average at the end {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
