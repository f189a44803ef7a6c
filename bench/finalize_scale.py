#!/usr/bin/env python
"""The OCR stage's finalize and the Darwin Core export at a million records: seconds and peak memory.

A synthetic run of ``--items`` records (the manifest of bench/scale.py; OCR journals over ``--shards`` shards,
each sheet's record as the OCR stage journals it: ``--lines`` text lines with two readings each, fields,
confidences) is finalized and exported, each step in a child process of its own so its peak resident memory
(``VmHWM``) is its own:

(a) ``stage=ocr`` finalize as herbproc runs it (shard by shard into results.parquet, occurrences.csv read back
    in batches of rows and columns), beside the way it ran before (every journal's records in one dict, one
    Arrow table, converted to pandas, then written) when ``--baseline-items`` is given, at that many records;
(b) ``stage=export format=dwca`` over the finalized run, beside reading results.parquet whole (what the export
    and the report's OCR section did before, lines and all) at the baseline's size;
(c) the report's OCR section (``herbproc.ocr.report.report_section``) over the finalized run.

Memory is the point: the OCR stage's jobs ask for 8 GB (``configs/stage/ocr.yaml``), the export's for 4 GB, the
report's for 2 GB.

    python bench/finalize_scale.py [--items 1000000] [--shards 100] [--baseline-items 100000]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import numpy as np  # noqa: E402

from herbproc.books import ensure_plan, save_config  # noqa: E402
from herbproc.config import compose  # noqa: E402
from herbproc.paths import RunPaths  # noqa: E402
from herbproc.shard import Shard  # noqa: E402

WORDS = "Carex crinita Lam. Plants of Maine Washington Co. Steuben bottom of steep bank along brook".split()


def sheet_record(rng: np.random.Generator, k: int, lines: int) -> dict:
    """One sheet's data as the OCR stage journals it (``SheetResult.to_json``, engine and status added)."""
    out_lines = []
    for i in range(lines):
        text = " ".join(rng.choice(WORDS, 5))
        y = 500 + 12 * i
        out_lines.append({"label": 0, "line": i, "box": [340, y, 480, y + 10],
                          "polygon": [[340.0, y], [480.0, y], [480.0, y + 10.0], [340.0, y + 10.0]],
                          "text": text, "confidence": 0.93, "engine": "ppocr",
                          "readings": [{"text": text, "confidence": 0.93, "engine": "ppocr"},
                                       {"text": text.lower(), "confidence": 0.81, "engine": "ppocr"}]})  # fmt: skip
    fields = {"scientificName": f"Quercus sp{k % 2000}", "genus": "Quercus", "specificEpithet": f"sp{k % 2000}",
              "recordedBy": "A. Collector", "recordNumber": str(k % 9973), "eventDate": "1931-06-02",
              "country": "United States", "stateProvince": "Maine", "locality": "bottom of steep bank"}  # fmt: skip
    resolution = {"name": fields["scientificName"], "confidence": 0.97, "evidence": "label",
                  "candidates": [{"name": fields["scientificName"], "similarity": 0.98, "probability": 0.97,
                                  "prior": None}]}  # fmt: skip
    return {"width": 3744, "height": 5616, "labels": [{"index": 0, "kind": "label", "box": [330, 490, 490, 900],
            "score": 0.9}], "lines": out_lines, "fields": fields, "confidence": {t: 0.9 for t in fields},
            "taxon": resolution, "taxon_ocr": resolution, "prior_used": False, "rereads": 0, "barcodes": [],
            "bars_fit": None, "taxon_source": "label", "identificationRemarks": "", "engine": "ppocr",
            "status": "ok"}  # fmt: skip


def make_run(run_dir: Path, items: int, shards: int, lines: int) -> None:
    from scale import write_manifest

    write_manifest(run_dir, items)
    cfg = compose(["stage=ocr", f"run_dir={run_dir}", f"shards={shards}"])
    paths = RunPaths(run_dir)
    ensure_plan(paths, cfg)
    save_config(paths, cfg)
    ids = (np.arange(items, dtype=np.int64) * 7 + 1_000_000_000).astype(str)  # write_manifest's gbifIDs
    rng = np.random.default_rng(0)
    datas = [json.dumps(sheet_record(rng, k, lines)) for k in range(256)]  # cycled: writing stays I/O-bound
    for i in range(shards):
        shard = Shard("ocr", i, shards, str(run_dir))
        start, stop = shard.bounds(items)
        path = paths.journal("ocr", i)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            for k in range(start, stop):
                f.write(f'{{"id": "{ids[k]}", "status": "inflight", "time": 1.0}}\n')
                f.write(f'{{"id": "{ids[k]}", "status": "ok", "seconds": 1.2, "data": {datas[k % 256]}}}\n')


def child(step: str, run_dir: Path, shards: int) -> None:
    """One measured step, in this (child) process; prints seconds and peak memory as JSON."""
    cfg = compose(["stage=ocr", f"run_dir={run_dir}", f"shards={shards}"])
    t0 = time.perf_counter()
    if step == "finalize":
        from herbproc.ocr.stage import finalize

        finalize(cfg)
    elif step == "finalize_before":
        from herbproc.ocr.results import results_table, write_outputs
        from herbproc.shard import journal_records, planned_shards

        records: dict[str, dict] = {}
        count = planned_shards(cfg)
        for i in range(count):
            records.update(journal_records(Shard("ocr", i, count, str(run_dir))))
        from herbproc.manifest import load_manifest

        order = [g for g in load_manifest(run_dir, columns=["gbifID"])["gbifID"].astype(str) if g in records]
        arrow = results_table([(g, records[g]) for g in order])
        arrow.to_pandas()
        write_outputs(RunPaths(run_dir).stage_dir("ocr"), arrow)
    elif step == "export":
        from herbproc.export.dwca import export_dwca

        export_dwca(compose(["stage=export", f"run_dir={run_dir}", "format=dwca"]))
    elif step == "report":
        from herbproc.ocr.report import report_section

        report_section(cfg, run_dir / "report-assets")
    elif step == "read_results_whole":
        import pandas as pd

        pd.read_parquet(RunPaths(run_dir).stage_dir("ocr") / "results.parquet")
    seconds = time.perf_counter() - t0
    print(json.dumps({"step": step, "seconds": round(seconds, 1), "peak_gb": round(peak_gb(), 2)}))


def peak_gb() -> float:
    """This process's peak resident memory: VmHWM, which starts afresh at exec (``ru_maxrss`` keeps the forking
    parent's peak across fork and exec on Linux, so a child of a large parent would report the parent's)."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1e6  # kB -> GB
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def measure(step: str, run_dir: Path, shards: int) -> dict:
    command = [sys.executable, __file__, "--child", step, "--run-dir", str(run_dir), "--shards", str(shards)]
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"step": step, "error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--shards", type=int, default=100)
    ap.add_argument("--lines", type=int, default=12, help="text lines per sheet")
    ap.add_argument("--baseline-items", type=int, default=0, help="also run the earlier ways at this size")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--run-dir", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.run_dir, args.shards)
        return 0
    print(f"# finalize and export at scale, {datetime.date.today()}, {platform.node()} ({os.cpu_count()} cores), "
          f"{args.lines} lines per sheet, peak resident memory of each step's own process")  # fmt: skip
    sizes = [(args.items, ("finalize", "export", "report"))]
    if args.baseline_items:
        sizes.insert(0, (args.baseline_items, ("finalize", "finalize_before", "export", "report", "read_results_whole")))
    tmp = Path(tempfile.mkdtemp(prefix="finalize-scale-"))
    try:
        for items, steps in sizes:
            run_dir = tmp / f"run{items}"
            t0 = time.perf_counter()
            make_run(run_dir, items, args.shards, args.lines)
            journal_mb = sum(p.stat().st_size for p in RunPaths(run_dir).shards_dir("ocr").glob("*.jsonl")) / 1e6
            print(f"\n{items:,} records, {args.shards} shards: journals {journal_mb:,.0f} MB "
                  f"(made in {time.perf_counter() - t0:.0f} s)")  # fmt: skip
            for step in steps:
                if step == "finalize_before":  # it writes the same files: measure it on a copy of the run
                    copy = tmp / "before"
                    shutil.copytree(run_dir, copy)
                    r = measure(step, copy, args.shards)
                    shutil.rmtree(copy)
                else:
                    r = measure(step, run_dir, args.shards)
                print(f"  {step:20} " + (f"{r['seconds']:8.1f} s  peak {r['peak_gb']:6.2f} GB" if "error" not in r
                                          else f"failed: {r['error']}"))  # fmt: skip
            shutil.rmtree(run_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
