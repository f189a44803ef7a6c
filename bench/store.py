#!/usr/bin/env python
"""Store benchmark: write throughput, bytes per image and read+decode speed of each training-copy codec.

Real herbarium sheets (../shared/fixtures/real_sheets, or --images DIR) are fitted into the default 900 x 600
training canvas and written, a whole Zarr shard / HDF5 part at a time as the download stage does, into a fresh store
per codec; then every image is read back one by one and decoded (what a training DataLoader worker does). One
thread (cv2.setNumThreads(1)) so the figures are per core.

    python bench/store.py [--n 128] [--images DIR] [--backends zarr hdf5]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from herbproc.store import create_store, open_store  # noqa: E402
from herbproc.store.layout import fit_into_canvas  # noqa: E402

CODECS = [("jpeg", 90), ("jpeg", 95), ("png", 0), ("zstd", 1), ("zstd", 3), ("lz4", 5), ("none", 0)]


def load_canvases(folder: Path, n: int, height: int, width: int) -> list[np.ndarray]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    if not files:
        sys.exit(f"no images in {folder}")
    base = []
    for f in files:
        bgr = cv2.imread(str(f), cv2.IMREAD_COLOR)
        base.append(fit_into_canvas(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), height, width)[0])
    out = []
    for i in range(n):  # distinct images: flips and small shifts of the real sheets
        img = base[i % len(base)]
        k = i // len(base)
        img = img[:, ::-1] if k % 2 else img
        out.append(np.ascontiguousarray(np.roll(img, 7 * k, axis=0)))
    return out


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def bench(backend: str, codec: str, level: int, images: list[np.ndarray], tmp: Path) -> dict:
    path = tmp / f"{backend}-{codec}-{level}"
    n = len(images)
    kw = {"quality": level} if codec == "jpeg" else {"level": max(level, 1)}
    store = create_store(path, backend=backend, gbif_ids=[str(i) for i in range(n)], labels=[0] * n,
                         height=images[0].shape[0], width=images[0].shape[1], codec=codec, block=64, **kw)  # fmt: skip
    empty = folder_bytes(path)
    t0 = time.perf_counter()
    with store.writer("core") as w:
        for i, img in enumerate(images):
            w.put(i, image=img)
            if (i + 1) % 64 == 0:
                w.flush()
    write_s = time.perf_counter() - t0
    size = (folder_bytes(path) - empty) / n
    reader = open_store(path)
    order = np.random.default_rng(0).permutation(n)
    t0 = time.perf_counter()
    for i in order:
        reader.image(int(i))
    read_s = time.perf_counter() - t0
    err = float(np.abs(reader.image(0).astype(int) - images[0].astype(int)).mean())
    shutil.rmtree(path)
    return {"write": n / write_s, "kb": size / 1e3, "read": n / read_s, "err": err}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=128)
    ap.add_argument("--images", type=Path, default=REPO.parent / "shared" / "fixtures" / "real_sheets")
    ap.add_argument("--backends", nargs="+", default=["zarr", "hdf5"])
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--width", type=int, default=600)
    args = ap.parse_args()
    cv2.setNumThreads(1)
    images = load_canvases(args.images, args.n, args.height, args.width)
    raw_kb = images[0].nbytes / 1e3
    print(
        f"# {platform.node()} {platform.machine()} {os.cpu_count()} CPUs, python {platform.python_version()}"
    )
    print(
        f"# {args.n} training copies of {args.height}x{args.width} from {args.images} ({raw_kb:.0f} kB raw each)"
    )
    print(
        f"{'backend':8} {'codec':10} {'write img/s':>12} {'kB/img':>8} {'ratio':>6} {'read+decode img/s':>18} {'mean abs err':>12}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends:
            for codec, level in CODECS:
                r = bench(backend, codec, level, images, Path(tmp))
                name = f"{codec}{'' if codec in ('png', 'none') else f'-{level}'}"
                print(
                    f"{backend:8} {name:10} {r['write']:12.0f} {r['kb']:8.0f} {raw_kb / r['kb']:6.1f} {r['read']:18.0f} {r['err']:12.2f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
