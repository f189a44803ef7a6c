#!/usr/bin/env python
"""The mask stage's finalize at scale: ``boxes.parquet`` from a store of many sheets' detections, seconds and peak.

After the array, ``stage=mask``'s finalize (one task) writes ``mask/boxes.parquet``: one row per region and text
line of every masked sheet, from the detections JSON each sheet keeps in the store. The store here holds
``--sheets`` rows whose detections are the real ones of the first ``--real`` AOCR gold sheets (3744 x 5616),
found by ``herbproc.sheet.detect`` and repeated. Side by side, each in a child process of its own so its peak
resident memory (``VmHWM``) is its own:

(a) ``write_boxes`` as the stage runs it now (a block's detections read in one store call, columns built as lists);
(b) the same file built as the stage did before (each sheet's detections read alone, one dict per row, a
    DataFrame per block).

With ``--backend hdf5`` also the HDF5 reader now (at most 32 part files open) and as it was before (every part
it had read kept open), each opening the store and reading the per-row columns every stage's task reads whole,
and writing the boxes.

Both write the same table; the bench checks that before it prints the ratio.

    python bench/mask_boxes.py [--sheets 100000] [--backend zarr|hdf5] [--real 3]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from aocr import default_fixtures  # noqa: E402
from finalize_scale import peak_gb  # noqa: E402

from herbproc.mask.stage import BOX_COLUMNS, BOX_SCHEMA, mask_arrays, write_boxes  # noqa: E402
from herbproc.store import create_store, open_store  # noqa: E402


def real_detections(count: int) -> list[str]:
    """The detections JSON of the first ``count`` AOCR gold sheets, as the mask stage stores it."""
    import cv2

    from herbproc.sheet.detect import detect

    images = sorted((default_fixtures() / "aocr_gold" / "images").glob("*.jpg"))[:count]
    if not images:
        raise SystemExit(f"no AOCR gold sheets under {default_fixtures() / 'aocr_gold' / 'images'}")
    return [detect(cv2.cvtColor(cv2.imread(str(p)), cv2.COLOR_BGR2RGB)).dumps() for p in images]


def build_store(path: Path, sheets: int, backend: str, detections: list[str]) -> None:
    """A store of ``sheets`` rows, every one masked, its detections one of ``detections`` in turn."""
    store = create_store(path, backend=backend, gbif_ids=[str(4_000_000_000 + i) for i in range(sheets)],
                         labels=[0] * sheets, height=8, width=6, codec="png")  # fmt: skip
    for spec in mask_arrays(store):
        store.ensure_array(spec)
    for start in range(0, sheets, store.block):
        rows = range(start, min(sheets, start + store.block))
        with store.writer("mask", rows=rows) as w:
            for row in rows:
                w.put(row, mask_valid=1, mask_detections=detections[row % len(detections)])


def before_boxes_table(store, rows: np.ndarray) -> pd.DataFrame:
    """The stage's table of ``rows`` as it was built before (herbproc at 38044ff)."""
    flags, ids = store.column("mask_valid"), store.gbif_ids
    out: list[dict[str, Any]] = []
    for row in np.flatnonzero(flags) if rows is None else rows:
        d = json.loads(store.read("mask_detections", int(row)) or "{}")
        gid = str(ids[row])
        order = {k: pos for r in d.get("regions", []) for pos, k in enumerate(r["lines"])}
        for kind, elems in (("region", d.get("regions", [])), ("line", d.get("lines", []))):
            for i, e in enumerate(elems):
                poly = np.asarray(e["polygon"], np.float64)
                out.append({
                    "gbifID": gid, "row": int(row), "element": kind, "index": i,
                    "kind": e["kind"] if kind == "region" else "text_line",
                    "region": -1 if kind == "region" else int(e["region"]),
                    "order": -1 if kind == "region" else order.get(i, -1),
                    "score": float(e["score"]),
                    "x0": float(poly[:, 0].min()), "y0": float(poly[:, 1].min()),
                    "x1": float(poly[:, 0].max()), "y1": float(poly[:, 1].max()),
                    "polygon": json.dumps(e["polygon"]),
                })  # fmt: skip
    return pd.DataFrame(out, columns=BOX_COLUMNS)


def before_write_boxes(store, target: Path) -> None:
    flags = store.column("mask_valid")
    with pq.ParquetWriter(target, BOX_SCHEMA) as writer:
        for start in range(0, len(flags), store.block):
            part = before_boxes_table(store, np.flatnonzero(flags[start : start + store.block]) + start)
            if len(part):
                writer.write_table(pa.Table.from_pandas(part, schema=BOX_SCHEMA, preserve_index=False))


def child(step: str, store_path: Path, target: Path) -> None:
    """``step``: ``boxes`` (write_boxes), ``boxes-before`` or ``columns`` (open the store and read the per-row
    columns every stage's task reads whole), with ``:every-part-open`` the HDF5 reader as it was before 833f395
    (no bound on the part files it keeps open)."""
    work, _, reader = step.partition(":")
    if reader == "every-part-open":
        import herbproc.store.hdf5_backend as hdf5_backend

        hdf5_backend.MAX_OPEN_PARTS = 10**9
    t0 = time.perf_counter()
    store = open_store(store_path, variant="raw")
    if work == "columns":
        for name in ("valid", "gbif_id", "label", "mask_valid"):
            store.column(name)
    elif work == "boxes":
        write_boxes(store, target)
    else:
        before_write_boxes(store, target)
    seconds = time.perf_counter() - t0
    print(json.dumps({"step": step, "seconds": round(seconds, 2), "peak_gb": round(peak_gb(), 3)}))


def measure(step: str, store_path: Path, target: Path) -> dict:
    command = [sys.executable, __file__, "--child", step, "--store", str(store_path), "--target", str(target)]
    proc = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sheets", type=int, default=100_000)
    ap.add_argument("--backend", choices=("zarr", "hdf5"), default="zarr")
    ap.add_argument("--real", type=int, default=3, help="AOCR gold sheets whose detections are repeated")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.store, args.target)
        return 0
    if args.sheets < 1 or args.real < 1:
        raise SystemExit("--sheets and --real must be at least 1")
    with tempfile.TemporaryDirectory(prefix="mask-boxes-") as tmp:
        detections = real_detections(args.real)
        t0 = time.perf_counter()
        build_store(Path(tmp) / "store", args.sheets, args.backend, detections)
        elements = sum(len(json.loads(d)["regions"]) + len(json.loads(d)["lines"]) for d in detections)
        print(f"# mask finalize (boxes.parquet), {datetime.date.today()}, {platform.node()} ({os.cpu_count()} "
              f"cores): {args.sheets:,} sheets in a {args.backend} store (built in {time.perf_counter() - t0:.0f} s), "
              f"the detections of {len(detections)} AOCR gold sheets repeated ({elements / len(detections):.1f} "
              f"regions and lines per sheet)")  # fmt: skip
        now = measure("boxes", Path(tmp) / "store", Path(tmp) / "now.parquet")
        before = measure("boxes-before", Path(tmp) / "store", Path(tmp) / "before.parquet")
        a, b = pq.read_table(Path(tmp) / "now.parquet"), pq.read_table(Path(tmp) / "before.parquet")
        if not a.equals(b):
            raise SystemExit("the two ways wrote different tables")
        for label, r in (("write_boxes (now)", now), ("row by row, dict rows (before)", before)):
            print(f"  {label:32} {r['seconds']:8.2f} s  {r['seconds'] / args.sheets * 1e3:6.3f} ms/sheet  "
                  f"peak {r['peak_gb']:.3f} GB")  # fmt: skip
        print(f"  same table ({a.num_rows:,} rows); ratio (before / now): {before['seconds'] / now['seconds']:.1f}x "
              f"time, {before['peak_gb'] / now['peak_gb']:.1f}x peak memory")  # fmt: skip
        if args.backend == "hdf5":
            store, unused = Path(tmp) / "store", Path(tmp) / "unused.parquet"
            for reader, label in (
                ("", "at most 32 parts open (now)"),
                (":every-part-open", "every part open (before)"),
            ):
                cols, boxes = (
                    measure(f"columns{reader}", store, unused),
                    measure(f"boxes{reader}", store, unused),
                )
                print(f"  HDF5 reader, {label:28} open + 4 whole columns {cols['seconds']:5.2f} s, "
                      f"peak {cols['peak_gb']:.3f} GB; write_boxes peak {boxes['peak_gb']:.3f} GB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
