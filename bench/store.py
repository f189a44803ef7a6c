#!/usr/bin/env python
"""Store benchmark: write throughput, bytes per image and read+decode speed of each training-copy codec.

Real herbarium sheets (../shared/fixtures/real_sheets, or --images DIR) are fitted into the default 900 x 600
training canvas and written, a whole Zarr shard / HDF5 part at a time as the download stage does, into a fresh store
per codec; then every image is read back one by one and decoded (what a training DataLoader worker does). One
thread (cv2.setNumThreads(1)) so the figures are per core.

    python bench/store.py [--n 128] [--images DIR] [--backends zarr hdf5]

``--count-files``: the files a parallel file system must hold. A store of ``--sheets`` synthetic rows is written
through the real writers with every array a full run creates (the download's core family, the mask stage's
family), once per block size in ``--blocks`` and backend; the files and directories on disk are counted per array
(Zarr) or family (HDF5), checked against the layout's formula and extrapolated to 1 M sheets. Then the cost of the
block size: ``--time-n`` training copies (900 x 600 JPEG q95, encoded beforehand so only the store is timed) are
written a whole block at a time (the download and, since it writes each block once, the mask stage) and 16 rows
at a time (a writer flushed after every batch, as the mask stage was), and read back one by one in random order (bytes only, and bytes read from files per image, from /proc/self/io).

    python bench/store.py --count-files [--sheets 2048] [--blocks 64 256] [--time-n 512]
"""

from __future__ import annotations

import argparse
import datetime
import math
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

from herbproc.store import ArraySpec, create_store, open_store  # noqa: E402
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


# ------------------------------------------------------------------------------------------ files on disk

MILLION = 1_000_000
MASK_BATCH = 16  # rows flushed together by a writer flushed every batch (the mask stage's batch_size)


def full_run_store(path: Path, backend: str, n: int, block: int, height: int = 48, width: int = 32):
    """A store of ``n`` rows with every array a full run writes: the download's core family, then the mask
    stage's family (its own ``mask_arrays``), each written block by block through ``BlockWriter``."""
    from herbproc.mask.stage import mask_arrays

    store = create_store(path, backend=backend, gbif_ids=[str(i) for i in range(n)], labels=[i % 7 for i in range(n)],
                         height=height, width=width, block=block)  # fmt: skip
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
    with store.writer("core") as w:
        for i in range(n):
            w.put(i, image=img, original=b"\xff\xd8" + bytes(64), height=3000, width=2000, nbytes=66,
                  sha256=f"{i:064x}", content_type="image/jpeg", image_format="jpeg", orientation=1,
                  box=[0, 0, height, width])  # fmt: skip
            if (i + 1) % block == 0:
                w.flush()
    store.mark_complete("core")
    for spec in mask_arrays(store):
        store.ensure_array(spec)
    with store.writer("mask") as w:
        for i in range(n):
            w.put(i, image_masked=img, mask=np.zeros((height, width), np.uint8), mask_full=b"\x89PNG" + bytes(32),
                  mask_detections='{"regions": [], "lines": []}')  # fmt: skip
            if (i + 1) % MASK_BATCH == 0:
                w.flush()
    store.mark_complete("mask")
    return open_store(path)


def count_tree(root: Path) -> dict[str, list[int]]:
    """[files, directories] under ``root`` per top-level entry (a Zarr array, HDF5's ``parts/<family>``, or
    ``(root)`` for the files and the folder of the store itself)."""
    counts: dict[str, list[int]] = {"(root)": [0, 1]}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root).parts
        if rel[:1] == ("parts",):
            key = "/".join(rel[:2]) if len(rel) >= 2 else "(root)"
        else:
            key = rel[0] if rel else "(root)"
        for d in dirnames:
            k = key if rel else ("(root)" if d == "parts" else d)
            if rel == ("parts",):
                k = f"parts/{d}"
            counts.setdefault(k, [0, 0])[1] += 1
        counts.setdefault(key, [0, 0])[0] += len(filenames)
    return counts


def formula(store, key: str, n: int) -> tuple[int, int]:
    """[files, directories] the layout says ``key`` holds for ``n`` rows."""
    blocks = math.ceil(n / store.layout.block)
    if key == "(root)":  # layout.json, .layout.lock and zarr.json | store.h5; the store folder (+ parts/)
        return 3, 2 if store.layout.backend == "hdf5" else 1
    if key.startswith("parts/"):
        return blocks, 1  # one part file per block, in parts/<family>/
    spec = store.layout.arrays[key]
    # zarr.json + one shard file per block, key c/<block>/0/...: <array>/, c/, and one folder per trailing dimension
    return 1 + blocks, 2 + blocks * len(spec.row_shape)


def count_files(args) -> int:
    print(f"# {platform.node()} {platform.machine()} {os.cpu_count()} CPUs, python {platform.python_version()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {datetime.date.today()}")  # fmt: skip
    print(f"# synthetic: {args.sheets} rows of {48} x {32} px per store, every array of download + mask written "
          f"through the store's writers; files = regular files, dirs = folders (both are inodes on the server)")  # fmt: skip
    totals = {}
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends:
            for block in args.blocks:
                path = Path(tmp) / f"{backend}-{block}"
                store = full_run_store(path, backend, args.sheets, block)
                counts = count_tree(path)
                print(
                    f"\n{backend}, block {block} images ({math.ceil(args.sheets / block)} blocks of {args.sheets} rows)"
                )
                print(f"{'array / family':26} {'files':>7} {'dirs':>6} {'formula ok':>10} {'files / 1 M sheets':>19} "
                      f"{'dirs / 1 M sheets':>18}")  # fmt: skip
                tot = [0, 0, 0, 0]
                for key in sorted(counts, key=lambda k: (k == "(root)", k)):
                    files, dirs = counts[key]
                    ok = formula(store, key, args.sheets) == (files, dirs)
                    mf, md = formula(store, key, MILLION)
                    tot = [tot[0] + files, tot[1] + dirs, tot[2] + mf, tot[3] + md]
                    print(f"{key:26} {files:7d} {dirs:6d} {'yes' if ok else 'NO':>10} {mf:19,d} {md:18,d}")
                print(f"{'total':26} {tot[0]:7d} {tot[1]:6d} {'':10} {tot[2]:19,d} {tot[3]:18,d}")
                totals[(backend, block)] = tot
                shutil.rmtree(path)
        print("\nper 1 M sheets:  " + "; ".join(f"{b} block {k}: {t[2]:,} files + {t[3]:,} dirs"
                                               for (b, k), t in totals.items()))  # fmt: skip
        if args.time_n:
            shard_cost(args, Path(tmp))
    return 0


def io_bytes(key: str) -> int:
    """Bytes this process has read (``rchar``) or written (``wchar``) through system calls."""
    with open("/proc/self/io") as f:
        return int(next(line for line in f if line.startswith(f"{key}:")).split()[1])


def shard_cost(args, tmp: Path) -> None:
    """Write and read cost of the block size, on full-size JPEG training copies."""
    canvases = load_canvases(args.images, args.time_n, args.height, args.width)
    store0 = create_store(tmp / "enc", backend="zarr", gbif_ids=["0"], labels=[0], height=args.height,
                          width=args.width, block=1)  # fmt: skip
    encoded = [store0.writer("core").encode("image", c) for c in canvases]
    n = len(encoded)
    kb = np.mean([len(e) for e in encoded]) / 1e3
    print(f"\n# cost of the block size: {n} training copies {args.height} x {args.width}, JPEG q95 ({kb:.0f} kB each, "
          f"encoded beforehand), best of {args.repeats}, one thread")  # fmt: skip
    print(f"{'backend':8} {'block':>5} {'write, whole blocks img/s':>26} {'MB written / img':>17} "
          f"{'write, 16 rows at a time img/s':>31} {'MB written / img':>17} {'random read img/s':>18} "
          f"{'kB read / img':>14}")  # fmt: skip
    results = {}
    order = np.random.default_rng(1).permutation(n)
    for backend in args.backends:
        for block in args.blocks:
            best = {"whole": 0.0, "batch": 0.0, "read": 0.0, "kb": 0.0, "w_whole": 0.0, "w_batch": 0.0}
            for r in range(args.repeats):
                path = tmp / f"cost-{backend}-{block}-{r}"
                store = create_store(path, backend=backend, gbif_ids=[str(i) for i in range(n)], labels=[0] * n,
                                     height=args.height, width=args.width, block=block)  # fmt: skip
                w0, t0 = io_bytes("wchar"), time.perf_counter()
                with store.writer("core") as w:
                    for i, e in enumerate(encoded):
                        w.put(i, image=e)
                        if (i + 1) % block == 0:
                            w.flush()
                whole = n / (time.perf_counter() - t0)
                w_whole = (io_bytes("wchar") - w0) / n / 1e6
                spec = store.layout.arrays["image"]
                store.ensure_array(
                    ArraySpec("image_masked", "pixels", spec.shape, codec="jpeg", family="mask")
                )
                w0, t0 = io_bytes("wchar"), time.perf_counter()
                with store.writer("mask") as w:
                    for i, e in enumerate(encoded):
                        w.put(i, image_masked=e)
                        if (i + 1) % MASK_BATCH == 0:
                            w.flush()
                batch = n / (time.perf_counter() - t0)
                w_batch = (io_bytes("wchar") - w0) / n / 1e6
                reader = open_store(path)
                reader.backend.read("image", 0)  # open files / metadata once
                c0, t0 = io_bytes("rchar"), time.perf_counter()
                for i in order:
                    reader.backend.read("image", int(i))
                read = n / (time.perf_counter() - t0)
                kb_read = (io_bytes("rchar") - c0) / n / 1e3
                reader.close()
                best = {"whole": max(best["whole"], whole), "batch": max(best["batch"], batch),
                        "read": max(best["read"], read), "kb": kb_read, "w_whole": w_whole, "w_batch": w_batch}  # fmt: skip
                shutil.rmtree(path)
            results[(backend, block)] = best
            print(f"{backend:8} {block:5d} {best['whole']:26.0f} {best['w_whole']:17.2f} {best['batch']:31.0f} "
                  f"{best['w_batch']:17.2f} {best['read']:18.0f} {best['kb']:14.1f}")  # fmt: skip
        if len(args.blocks) == 2:
            a, b = (results[(backend, k)] for k in args.blocks)
            print(f"{backend}: block {args.blocks[1]} / block {args.blocks[0]}: write whole blocks "
                  f"{b['whole'] / a['whole']:.2f}x, write 16 rows at a time {b['batch'] / a['batch']:.2f}x, "
                  f"random read {b['read'] / a['read']:.2f}x (higher = faster)")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=128)
    ap.add_argument("--images", type=Path, default=REPO.parent / "shared" / "fixtures" / "real_sheets")
    ap.add_argument("--backends", nargs="+", default=["zarr", "hdf5"])
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--width", type=int, default=600)
    ap.add_argument(
        "--count-files", action="store_true", help="count the files of a full run's store (see above)"
    )
    ap.add_argument("--sheets", type=int, default=2048, help="--count-files: rows of the synthetic store")
    ap.add_argument("--blocks", type=int, nargs="+", default=[64, 256], help="--count-files: block sizes")
    ap.add_argument("--time-n", type=int, default=512, help="--count-files: images for the cost (0: skip)")
    ap.add_argument("--repeats", type=int, default=2, help="--count-files: best of this many rounds")
    args = ap.parse_args()
    cv2.setNumThreads(1)
    if args.count_files:
        return count_files(args)
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
