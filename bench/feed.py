#!/usr/bin/env python
"""Feed benchmark: random 448 x 448 training crops per second on one core, from the store vs from a CUB-style
JPEG folder of the same images read the way the official IELT loader does (PIL open -> Resize(600) ->
RandomCrop(448)).

The same real sheets (../shared/fixtures/real_sheets, or --images DIR) go (1) through the download stage's
verification and into a store with the default settings (Zarr, JPEG q95 training copy of 600 x 900), (2) as
downloaded into images/<class>/ (what `stage=export format=cub export.images=original` writes), and (3) as 600-px
JPEG copies (`export.images=copy`). Each reader makes uint8 C x H x W tensors. One thread throughout
(cv2.setNumThreads(1), torch.set_num_threads(1)); the store is read through StoreDataset, by batches
(``__getitems__``, what a DataLoader worker calls) and one by one.

    python bench/feed.py [--samples 384] [--images DIR] [--target 600]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402
from torchvision import transforms  # noqa: E402

from herbproc.download.validate import prepare  # noqa: E402
from herbproc.store import create_store  # noqa: E402
from herbproc.store.dataset import StoreDataset  # noqa: E402
from herbproc.store.layout import encode_pixels  # noqa: E402

CROP = 448


def build(files: list[Path], tmp: Path, copies: int) -> tuple[Path, Path, Path, list[int]]:
    """The store and the two CUB folders; returns their paths and each row's source index."""
    originals = [f.read_bytes() for f in files]
    rows = [i % len(files) for i in range(len(files) * copies)]
    store = create_store(
        tmp / "store", backend="zarr", gbif_ids=[str(i) for i in range(len(rows))], labels=[0] * len(rows)
    )
    spec = store.layout.arrays["image"]
    folder_orig, folder_copy = tmp / "cub_original" / "images", tmp / "cub_copy" / "images"
    with store.writer("core") as w:
        for row, src in enumerate(rows):
            p = prepare(originals[src], height=900, width=600)
            w.put(row, image=encode_pixels(spec, p.copy), original=originals[src])
            for folder, data in ((folder_orig, originals[src]), (folder_copy, encode_pixels(spec, p.copy))):
                (folder / "c").mkdir(parents=True, exist_ok=True)
                (folder / "c" / f"{row}.jpg").write_bytes(data)
    return store.path, folder_orig / "c", folder_copy / "c", rows


def random_crop(chw: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
    _, h, w = chw.shape
    y, x = int(rng.integers(0, h - CROP + 1)), int(rng.integers(0, w - CROP + 1))
    return chw[:, y : y + CROP, x : x + CROP].contiguous()


def time_store_batched(path: Path, order: np.ndarray, batch: int) -> float:
    ds = StoreDataset(path)
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    for k in range(0, len(order), batch):
        for img, _ in ds.__getitems__(order[k : k + batch].tolist()):
            random_crop(img, rng)
    return len(order) / (time.perf_counter() - t0)


def time_store_single(path: Path, order: np.ndarray) -> float:
    ds = StoreDataset(path)
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    for i in order:
        random_crop(ds[int(i)][0], rng)
    return len(order) / (time.perf_counter() - t0)


def time_folder(folder: Path, order: np.ndarray) -> float:
    """The official IELT CUB loader's training path: PIL, Resize(600), RandomCrop(448)."""
    tf = transforms.Compose([transforms.Resize(600), transforms.RandomCrop(CROP), transforms.PILToTensor()])
    t0 = time.perf_counter()
    for i in order:
        with Image.open(folder / f"{int(i)}.jpg") as im:
            tf(im.convert("RGB"))
    return len(order) / (time.perf_counter() - t0)


def best(measures, repeats: int) -> list[float]:
    """The best of ``repeats`` runs of each measure, taken in turn (a shared machine only ever makes a run
    slower, and taking turns gives each the same chances)."""
    out = [0.0] * len(measures)
    for _ in range(repeats):
        for k, measure in enumerate(measures):
            out[k] = max(out[k], measure())
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=Path, default=REPO.parent / "shared" / "fixtures" / "real_sheets")
    ap.add_argument("--samples", type=int, default=384)
    ap.add_argument("--copies", type=int, default=4, help="rows per source image in the store")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--target", type=float, default=600.0, help="images/s a training job needs")
    args = ap.parse_args()
    cv2.setNumThreads(1)
    torch.set_num_threads(1)
    files = sorted(p for p in args.images.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    if not files:
        sys.exit(f"no images in {args.images}")
    sizes = {}
    for f in files:
        with Image.open(f) as im:
            sizes[f] = im.size
    groups = {}
    for i, f in enumerate(files):
        groups.setdefault(f"{sizes[f][0]}x{sizes[f][1]}", []).append(i)
    print(
        f"# {platform.node()} {platform.machine()} {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, torch {torch.__version__}"
    )
    print(
        f"# {len(files)} sheets from {args.images}: "
        + ", ".join(f"{len(v)} of {k}" for k, v in groups.items())
    )
    with tempfile.TemporaryDirectory() as tmp:
        store, orig, copy, rows = build(files, Path(tmp), args.copies)
        rows = np.asarray(rows)
        time_store_batched(store, np.arange(8), 8)  # warm up: imports, first open, decoder tables
        time_folder(orig, np.arange(8))
        rng = np.random.default_rng(1)
        header = f"{'originals':>12} {'store, batched':>15} {'store, 1 by 1':>14} {'CUB originals':>14} {'CUB 600px':>10} {'store/originals':>16} {'store/600px':>12}"
        print("crops/s per core\n" + header)
        for name, members in [*groups.items(), ("all", list(range(len(files))))]:
            pool = np.flatnonzero(np.isin(rows, members))
            order = rng.choice(pool, size=args.samples, replace=True)
            batched, single, f_orig, f_copy = best(
                [
                    lambda o=order: time_store_batched(store, o, args.batch),
                    lambda o=order: time_store_single(store, o),
                    lambda o=order: time_folder(orig, o),
                    lambda o=order: time_folder(copy, o),
                ],
                args.repeats,
            )
            print(
                f"{name:>12} {batched:15.0f} {single:14.0f} {f_orig:14.0f} {f_copy:10.0f} {batched / f_orig:15.1f}x {batched / f_copy:11.1f}x"
            )
            if name == "all":
                print(
                    f"cores to feed {args.target:.0f} img/s: store {args.target / batched:.1f}, CUB originals {args.target / f_orig:.1f}, CUB 600px {args.target / f_copy:.1f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
