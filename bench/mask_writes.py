#!/usr/bin/env python
"""The mask stage's store writes: bytes written and wall time of ``stage=mask`` over one shard, as the stage runs
(each store block written once, when its last sheet is masked: ``run_batches`` with ``group`` and ``settle``)
side by side with the earlier way (the store's writer flushed after every batch of ``mask.batch_size``), on the
same sheets in the same run; prints the ratios.

    python bench/mask_writes.py [--n 512] [--block 256] [--batch 16] [--images DIR] [--backend zarr]

The sheets are real (``../shared/fixtures/real_sheets``, or ``--images DIR``), repeated to ``--n`` rows of a
store made as a finished download leaves it (900 x 600 JPEG training copies). Bytes written are the process's
``wchar`` (``/proc/self/io``: every write system call, the store's files and the stage's journal alike) over the
shard; the store's size on disk afterwards is the same either way. One thread for onnxruntime and OpenCV.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import herbproc.mask.stage as mask_stage  # noqa: E402
from herbproc.books import ensure_plan, save_config  # noqa: E402
from herbproc.config import compose  # noqa: E402
from herbproc.download.validate import prepare  # noqa: E402
from herbproc.paths import RunPaths  # noqa: E402
from herbproc.shard import execute_shard, run_batches  # noqa: E402
from herbproc.store import create_store, open_store  # noqa: E402

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}


def written_bytes() -> int:
    with open("/proc/self/io") as f:
        return int(next(line for line in f if line.startswith("wchar:")).split()[1])


def make_run(run_dir: Path, originals: list[bytes], block: int, backend: str) -> None:
    """``run_dir/store`` as a finished download leaves it."""
    ids = [str(9_000_000 + i) for i in range(len(originals))]
    store = create_store(run_dir / "store", backend=backend, gbif_ids=ids, labels=[0] * len(ids), block=block)
    with store.writer("core") as w:
        for row, data in enumerate(originals):
            p = prepare(data, height=store.layout.height, width=store.layout.width)
            w.put(row, image=p.copy, original=data, height=p.height, width=p.width, nbytes=p.nbytes,
                  sha256=p.sha256, content_type="image/jpeg", image_format=p.image_format,
                  orientation=p.orientation, box=list(p.box))  # fmt: skip
    open_store(run_dir / "store", writable=True).mark_complete("core")


def flush_every_batch(cfg, shard, items, process_batch, *, group=None, settle=None, **kw):
    """The earlier way: the writer flushed after each batch, each batch journaled ok at once."""

    def flushing(batch):
        out = process_batch(batch)
        settle()
        return out

    return run_batches(cfg, shard, items, flushing, **kw)


def one_run(run_dir: Path, batch: int, way: str) -> dict[str, float]:
    cfg = compose(
        ["stage=mask", f"run_dir={run_dir}", "shards=1", f"mask.batch_size={batch}", "mask.threads=1"]
    )
    paths = RunPaths(run_dir)
    ensure_plan(paths, cfg)
    save_config(paths, cfg)
    mask_stage.run_batches = flush_every_batch if way == "per batch" else run_batches
    try:
        w0, t0 = written_bytes(), time.perf_counter()
        result = execute_shard(cfg, 0)
        seconds, written = time.perf_counter() - t0, written_bytes() - w0
    finally:
        mask_stage.run_batches = run_batches
    store_bytes = sum(p.stat().st_size for p in (run_dir / "store").rglob("*") if p.is_file())
    return {"done": result.done, "seconds": seconds, "written": written, "store": store_bytes}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=512, help="rows of the store (sheets repeated)")
    ap.add_argument("--block", type=int, default=256, help="images per Zarr shard / HDF5 part")
    ap.add_argument("--batch", type=int, default=16, help="mask.batch_size")
    ap.add_argument("--images", type=Path, default=REPO.parent / "shared" / "fixtures" / "real_sheets")
    ap.add_argument("--backend", choices=("zarr", "hdf5"), default="zarr")
    args = ap.parse_args()
    files = (
        sorted(p for p in args.images.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if args.images.is_dir()
        else []
    )
    if not files:
        print(f"bench/mask_writes.py: no images in {args.images} (--images DIR)")
        return 2
    originals = [files[i % len(files)].read_bytes() for i in range(args.n)]
    print(f"# mask stage writes, {datetime.date.today()}, {platform.node()} ({os.cpu_count()} cores), "
          f"{args.n} sheets from {len(files)} real ones in {args.images.name}, block {args.block}, "
          f"mask.batch_size {args.batch}, {args.backend}")  # fmt: skip
    print(f"{'way':22} {'sheets':>6} {'seconds':>8} {'MB written':>11} {'MB / sheet':>11} {'store MB':>9}")
    runs = {}
    tmp = Path(tempfile.mkdtemp(prefix="mask-writes-"))
    try:
        for way in ("per batch", "per block"):
            run_dir = tmp / way.replace(" ", "-")
            make_run(run_dir, originals, args.block, args.backend)
            r = runs[way] = one_run(run_dir, args.batch, way)
            label = f"{way} ({'earlier' if way == 'per batch' else 'herbproc'})"
            print(f"{label:22} {r['done']:6d} {r['seconds']:8.1f} {r['written'] / 1e6:11.1f} "
                  f"{r['written'] / 1e6 / max(r['done'], 1):11.3f} {r['store'] / 1e6:9.1f}")  # fmt: skip
            shutil.rmtree(run_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    a, b = runs["per batch"], runs["per block"]
    print(f"ratio earlier / herbproc: bytes written {a['written'] / b['written']:.2f}x, "
          f"wall time {a['seconds'] / b['seconds']:.2f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
