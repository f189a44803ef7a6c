#!/usr/bin/env python
"""Mask benchmark: seconds per 3000 x 2000 sheet for herbproc's masking (detection on a working copy, fill
computed small and applied at full resolution) side by side with two baselines, on one thread; prints the ratios.

- the tool's default (the headline): rapidocr's own detection as it runs by default (``RapidOCR()(img,
  use_det=True)`` with its config.yaml: the sheet's long side shrunk to ``Global.max_side_len`` = 2000, then
  ``Det.limit_side_len`` 736 / ``limit_type`` min, which leaves it at 1984 x 1344), OpenCV TELEA inpainting at
  full resolution over the same mask;
- full resolution: the same PP-OCR detector on the whole sheet at 3000 x 2000, the same TELEA fill.

    taskset -c 0 python bench/mask.py [--sheets 3] [--repeats 3] [--width 2000] [--height 3000]

Sheets are synthetic (default synth settings, rendered at the given size). Decoding is timed apart (the stage
decodes each original once); best of ``--repeats`` rounds per sheet, then the mean over the sheets.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime  # noqa: E402
import io  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from herbproc.mask.fill import apply_fill, draw_mask  # noqa: E402
from herbproc.mask.metrics import ocr_engine  # noqa: E402
from herbproc.schema.mask import Settings  # noqa: E402
from herbproc.sheet.detect import detect  # noqa: E402
from herbproc.sheet.textdet import get_detector  # noqa: E402
from herbproc.store.decode import decode_original  # noqa: E402
from herbproc.synth import make_world, render_sheet  # noqa: E402


def herbproc_way(image: np.ndarray, settings: Settings, detector) -> tuple[dict[str, float], np.ndarray]:
    t0 = time.perf_counter()
    det = detect(image, settings, detector)
    t1 = time.perf_counter()
    layers = draw_mask(det, settings)
    apply_fill(image, layers.mask, settings, det.work)
    t2 = time.perf_counter()
    return {"detect": t1 - t0, "fill": t2 - t1, "total": t2 - t0}, layers.mask


def naive_way(image: np.ndarray, mask: np.ndarray, detector) -> dict[str, float]:
    t0 = time.perf_counter()
    detector.lines(image)  # the whole sheet at full resolution
    t1 = time.perf_counter()
    cv2.inpaint(image, (mask > 0).astype(np.uint8), 3, cv2.INPAINT_TELEA)
    t2 = time.perf_counter()
    return {"detect": t1 - t0, "fill": t2 - t1, "total": t2 - t0}


def tool_default_way(image: np.ndarray, mask: np.ndarray, engine) -> tuple[dict[str, float], int]:
    """rapidocr's detection with its defaults (its own resizing and DB post-processing), the same TELEA fill."""
    t0 = time.perf_counter()
    out = engine(cv2.cvtColor(image, cv2.COLOR_RGB2BGR), use_det=True, use_cls=False, use_rec=False)
    t1 = time.perf_counter()
    cv2.inpaint(image, (mask > 0).astype(np.uint8), 3, cv2.INPAINT_TELEA)
    t2 = time.perf_counter()
    lines = 0 if out.boxes is None else len(out.boxes)
    return {"detect": t1 - t0, "fill": t2 - t1, "total": t2 - t0}, lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sheets", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--width", type=int, default=2000)
    ap.add_argument("--height", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--skip-naive", action="store_true", help="skip the full-resolution baseline (it takes long)"
    )
    args = ap.parse_args()
    cv2.setNumThreads(1)
    settings = Settings(threads=1)
    detector = get_detector(1)
    # rapidocr's defaults with one onnxruntime thread (the angle classifier off: it is not detection)
    engine = ocr_engine(1)
    world = make_world({"species": 4, "sheets_per_species": 2, "width": args.width, "height": args.height},
                       seed=args.seed)  # fmt: skip
    rows = []
    for k in range(args.sheets):
        sheet = render_sheet(world, (k * 3) % world.n_sheets)
        buf = io.BytesIO()
        Image.fromarray(sheet.image).save(buf, format="JPEG", quality=90)
        data = buf.getvalue()
        decode = min(_timed(decode_original, data, 10**9) for _ in range(args.repeats))
        image = decode_original(data, 10**9)
        herbproc_way(image, settings, detector)  # warm-up: session, allocations
        ours, mask = None, None
        for _ in range(args.repeats):
            t, mask = herbproc_way(image, settings, detector)
            ours = t if ours is None or t["total"] < ours["total"] else ours
        tool_default_way(image, mask, engine)  # warm-up
        tool, lines = None, 0
        for _ in range(args.repeats):
            t, lines = tool_default_way(image, mask, engine)
            tool = t if tool is None or t["total"] < tool["total"] else tool
        naive = None
        if not args.skip_naive:
            for _ in range(max(1, args.repeats - 1)):
                t = naive_way(image, mask, detector)
                naive = t if naive is None or t["total"] < naive["total"] else naive
        rows.append((decode, ours, naive, float((mask > 0).mean()), tool))
        print(f"sheet {k}: decode {decode:.3f} s, herbproc {ours['total']:.3f} s "
              f"(detect {ours['detect']:.3f}, fill {ours['fill']:.3f}), masked {rows[-1][3]:.1%}, "
              f"rapidocr default {tool['total']:.3f} s (detect {tool['detect']:.3f}, {lines} lines)"
              + (f", full resolution {naive['total']:.3f} s (detect {naive['detect']:.3f}, inpaint {naive['fill']:.3f})"
                 if naive else ""), flush=True)  # fmt: skip
    mean = lambda key, i: float(np.mean([r[i][key] for r in rows]))  # noqa: E731
    print(f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs visible, "
          f"{len(os.sched_getaffinity(0))} usable, load average {os.getloadavg()[0]:.1f}, {datetime.date.today()}")  # fmt: skip
    print(f"sheet {args.width} x {args.height}, {args.sheets} sheets, best of {args.repeats}, one thread")
    print(f"decode (PIL, once per sheet)        {np.mean([r[0] for r in rows]):.3f} s")
    print(f"herbproc detect + fill              {mean('total', 1):.3f} s  (detect {mean('detect', 1):.3f}, "
          f"fill {mean('fill', 1):.3f})")  # fmt: skip
    print(f"rapidocr default det + TELEA        {mean('total', 4):.3f} s  (detect {mean('detect', 4):.3f}, "
          f"inpaint {mean('fill', 4):.3f})")  # fmt: skip
    if not args.skip_naive:
        print(f"full-resolution det + TELEA         {mean('total', 2):.3f} s  (detect {mean('detect', 2):.3f}, "
              f"inpaint {mean('fill', 2):.3f})")  # fmt: skip
    print(f"ratio rapidocr default / herbproc   {mean('total', 4) / mean('total', 1):.1f}x  (the headline)")
    if not args.skip_naive:
        print(f"ratio full resolution / herbproc    {mean('total', 2) / mean('total', 1):.1f}x")
    return 0


def _timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main())
