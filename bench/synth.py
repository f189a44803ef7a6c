#!/usr/bin/env python
"""Synthetic sheet rendering on one core: seconds per sheet, and the sensor-noise step against plain NumPy.

Times ``render_sheet`` plus the files the stage writes (JPEG, plant-mask PNG, truth JSON) at the default sheet
size, next to the floor of any sheet producer (encoding one JPEG of that size), and the saturating OpenCV add used
for paper mottling and noise side by side with the straightforward float NumPy version it replaced.

    python bench/synth.py [--sheets 12] [--width 1500] [--height 2250]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from herbproc.synth import make_world, render_sheet  # noqa: E402
from herbproc.synthetic.sheet import _add_signed  # noqa: E402


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def numpy_noise(img: np.ndarray, noise: np.ndarray) -> np.ndarray:
    return np.clip(img.astype(np.float32) + noise[..., None] + 0.5, 0, 255).astype(np.uint8)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sheets", type=int, default=12)
    ap.add_argument("--width", type=int, default=1500)
    ap.add_argument("--height", type=int, default=2250)
    args = ap.parse_args()
    cv2.setNumThreads(1)
    world = make_world({"species": 6, "sheets_per_species": max(1, args.sheets // 6 + 1), "width": args.width,
                        "height": args.height})  # fmt: skip
    render_sheet(world, 0)  # fonts and glyph tables load once per process
    render_s, files_s = [], []
    for i in range(1, args.sheets + 1):
        t0 = time.perf_counter()
        sheet = render_sheet(world, i)
        t1 = time.perf_counter()
        sheet.jpeg_bytes(), sheet.mask_png_bytes(), sheet.truth_json()
        t2 = time.perf_counter()
        render_s.append(t1 - t0)
        files_s.append(t2 - t1)
    jpeg_floor = best_of(sheet.jpeg_bytes)
    per_sheet = float(np.mean(render_s) + np.mean(files_s))
    print(f"sheet {args.width}x{args.height}, {args.sheets} sheets, one thread")
    print(
        f"  render_sheet          {np.mean(render_s):.3f} s (min {min(render_s):.3f}, max {max(render_s):.3f})"
    )
    print(f"  JPEG + PNG + JSON     {np.mean(files_s):.3f} s")
    print(f"  per sheet in all      {per_sheet:.3f} s  ({1 / per_sheet:.1f} sheets/s per core)")
    print(
        f"  floor: one JPEG encode {jpeg_floor:.3f} s  -> whole sheet = {per_sheet / jpeg_floor:.1f}x the floor"
    )

    rng = np.random.default_rng(0)
    img = sheet.image
    noise = rng.standard_normal(img.shape[:2], dtype=np.float32) * np.float32(4.0)
    diff = np.abs(_add_signed(img, noise).astype(np.int16) - numpy_noise(img, noise).astype(np.int16))
    assert diff.max() <= 1, "the same pixels either way, up to rounding"
    t_cv = best_of(lambda: _add_signed(img, noise))
    t_np = best_of(lambda: numpy_noise(img, noise))
    print(
        f"  add noise: OpenCV saturating {t_cv * 1000:.1f} ms, NumPy float {t_np * 1000:.1f} ms -> {t_np / t_cv:.1f}x"
    )


if __name__ == "__main__":
    main()
