#!/usr/bin/env python
"""The OCR stage's launch-time check of the classifier's predictions at a million sheets: seconds and peak memory.

``stage=ocr`` with a predictions file checks every row before it submits (names and probabilities paired,
probabilities >= 0 summing to at most 1), on the login node. Side by side, each in a child process of its own
so its peak resident memory (``VmHWM``) is its own:

(a) ``check_predictions`` as the launcher runs it now (batches of 65,536 rows, checked with Arrow and numpy);
(b) ``load_predictions`` over the whole file, what the launcher ran before (every sheet's prior as a dict).

    python bench/predictions_check.py [--sheets 1000000] [--topk 5]
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from finalize_scale import peak_gb  # noqa: E402


def write_file(path: Path, sheets: int, topk: int, classes: int = 2000) -> None:
    """``sheets`` rows as ``stage=predict`` writes them (top-k names and softmax probabilities), 100,000 a group."""
    rng = np.random.default_rng(0)
    names = np.array([f"Genus{c // 20} species{c}" for c in range(classes)], dtype=object)
    writer = None
    for start in range(0, sheets, 100_000):
        n = min(100_000, sheets - start)
        probs = rng.dirichlet(np.ones(topk + 1), size=n)[:, :topk]
        probs = -np.sort(-probs, axis=1)
        picks = rng.integers(0, classes, size=(n, topk))
        table = pa.table({
            "gbifID": pa.array((np.arange(start, start + n) + 1_000_000_000).astype(str)),
            "topk_names": pa.array([list(names[p]) for p in picks], pa.list_(pa.string())),
            "topk_probs": pa.array(list(probs), pa.list_(pa.float64())),
        })  # fmt: skip
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    if writer is not None:
        writer.close()


def child(step: str, path: Path) -> None:
    from herbproc.ocr.inputs import check_predictions, load_predictions

    t0 = time.perf_counter()
    rows = check_predictions(path) if step == "check" else len(load_predictions(path))
    seconds = time.perf_counter() - t0
    print(
        json.dumps({"step": step, "rows": rows, "seconds": round(seconds, 2), "peak_gb": round(peak_gb(), 3)})
    )


def measure(step: str, path: Path) -> dict:
    command = [sys.executable, __file__, "--child", step, "--file", str(path)]
    proc = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sheets", type=int, default=1_000_000)
    ap.add_argument("--topk", type=int, default=5)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.file)
        return 0
    with tempfile.TemporaryDirectory(prefix="predictions-check-") as tmp:
        path = Path(tmp) / "predictions.parquet"
        write_file(path, args.sheets, args.topk)
        print(f"# predictions check, {datetime.date.today()}, {platform.node()} ({os.cpu_count()} cores): "
              f"{args.sheets:,} sheets, top-{args.topk}, {path.stat().st_size / 1e6:.0f} MB")  # fmt: skip
        now, before = measure("check", path), measure("load_whole", path)
        for label, r in (("check_predictions (now)", now), ("load_predictions whole (before)", before)):
            print(f"  {label:32} {r['rows']:>9,} rows {r['seconds']:7.2f} s  peak {r['peak_gb']:.3f} GB")
        print(f"  ratio (before / now): {before['seconds'] / now['seconds']:.1f}x time, "
              f"{before['peak_gb'] / now['peak_gb']:.1f}x peak memory")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
