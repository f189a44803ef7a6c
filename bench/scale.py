#!/usr/bin/env python
"""Everything above ingest at a million items (synthetic inputs, generated here in a temporary folder).

(a) launch planning: ``jobs/launch.py stage=download shards=200 dry_run=true`` over a run with a 1 M-row
    manifest, beside the same plan over a 1,000-row run (the ratio says whether planning grows with the items);
(b) ``jobs/status.py`` of a run whose 200 download shards' journals hold 1 M lines, beside the way status read
    journals before (every line through ``json.loads``, ``Journal.latest``);
(c) one shard of 200 reading its manifest rows by row group (``herbproc.manifest``) beside the old way (read the
    whole manifest, then slice), and the download shard's inputs (ids of every row for the store check + its rows);
(d) the report page of that run, beside the same page with the failure table read the old way (every line
    through ``json.loads``); the pages must agree.

    python bench/scale.py [--items 1000000] [--shards 200]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from herbproc.config import compose  # noqa: E402
from herbproc.manifest import ROW_GROUP_ROWS, load_manifest, load_manifest_rows, load_shard_manifest  # noqa: E402
from herbproc.paths import RunPaths  # noqa: E402
from herbproc.shard import Journal, Shard  # noqa: E402
from herbproc.store.store import ids_digest  # noqa: E402

STAGE = "download"


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


# ------------------------------------------------------------------------------------------ inputs


def write_manifest(run_dir: Path, n: int) -> None:
    """A manifest of ``n`` rows with ingest's main columns (text, as ingest writes them) in its row groups."""
    rng = np.random.default_rng(0)
    labels = np.sort(rng.integers(0, 2000, n))
    ids = (np.arange(n, dtype=np.int64) * 7 + 1_000_000_000).astype(str)
    df = pd.DataFrame(
        {
            "gbifID": ids,
            "identifier": np.char.add("https://images.example.org/sheet/", ids),
            "format": "image/jpeg",
            "license": "http://creativecommons.org/licenses/by/4.0/legalcode",
            "rightsHolder": "Example Herbarium",
            "occurrenceID": np.char.add("urn:catalog:EX:", ids),
            "catalogNumber": np.char.add("EX", ids),
            "recordedBy": "A. Collector",
            "eventDate": "1931-06-02",
            "country": "United States of America",
            "stateProvince": "Texas",
            "family": "Fagaceae",
            "genus": "Quercus",
            "scientificName": np.char.add("Quercus sp", labels.astype(str)),
            "label": labels.astype(np.int64),
            "label_name": np.char.add("Quercus sp", labels.astype(str)),
            "split": np.array(["train", "val", "test"])[rng.integers(0, 3, n)],
            "row": np.arange(n, dtype=np.int64),
        }
    )
    run_dir.mkdir(parents=True, exist_ok=True)
    df.to_parquet(RunPaths(run_dir).manifest, index=False, row_group_size=ROW_GROUP_ROWS)


def write_journals(run_dir: Path, lines: int, shards: int) -> None:
    """``shards`` download shards whose journals hold ``lines`` lines in all (the real format: an inflight line,
    then the outcome, per item; 2% of the items failed), most shards done, some running, one failed."""
    paths = RunPaths(run_dir)
    now = time.time()
    per = lines // shards // 2
    paths.plan(STAGE).parent.mkdir(parents=True, exist_ok=True)
    paths.plan(STAGE).write_text(json.dumps({"stage": STAGE, "shards": shards, "kind": "array", "time": now}))
    reasons = ["http_404", "http_503", "decode_error", "too_small"]
    for i in range(shards):
        jpath = paths.journal(STAGE, i)
        jpath.parent.mkdir(parents=True, exist_ok=True)
        out = []
        for k in range(per):
            iid = str(1_000_000_000 + 7 * (i * per + k))
            out.append(json.dumps({"id": iid, "status": "inflight", "time": now}))
            if k % 50 == 7:
                row = {
                    "id": iid,
                    "status": "failed",
                    "stage": STAGE,
                    "shard": i,
                    "reason": reasons[k // 50 % 4],
                }
                row.update(
                    error=f"FetchError: {reasons[k // 50 % 4]} for https://images.example.org/{iid}", time=now
                )
                out.append(json.dumps(row))
            else:
                data = {"bytes": 1_234_567 + k, "width": 4000, "height": 6000, "host": "images.example.org"}
                out.append(json.dumps({"id": iid, "status": "ok", "seconds": 0.4321, "data": data}))
        jpath.write_text("\n".join(out) + "\n")
        paths.started(STAGE, i).write_text(json.dumps({"items": per, "todo": per, "time": now - 3600}))
        if i < shards * 9 // 10:
            marker = {"stage": STAGE, "shard": i, "shards": shards, "items": per, "done": per, "failed": 0}
            marker.update(seconds=3000.0, started=now - 3600, finished=now - 60)
            paths.marker(STAGE, i).write_text(json.dumps(marker))
        elif i == shards - 1:
            paths.failed(STAGE, i).write_text(
                json.dumps({"stage": STAGE, "shard": i, "error": "OSError: boom"})
            )


# ------------------------------------------------------------------------------------------ measures


def plan_seconds(run_dir: Path, shards: int) -> float:
    """In-process ``jobs/launch.py stage=download shards=N cluster=slurm dry_run=true`` (its output swallowed)."""
    from hpc import launcher
    from hpc.backends import Backend, SlurmBackend

    SlurmBackend.max_array_size = Backend.max_array_size  # the configured limit: no scontrol call

    def run() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            assert launcher.launch([f"run_dir={run_dir}", "stage=download", f"shards={shards}",
                                    "cluster=slurm", "dry_run=true"]) == 0  # fmt: skip

    return best(run)


def old_outcomes(journal: Journal) -> tuple[int, list[str]]:
    """What status did per journal before: every line through json.loads (``Journal.latest``)."""
    latest = journal.latest().values()
    ok = sum(1 for e in latest if e.get("status") == "ok")
    return ok, [e.get("reason", "?") for e in latest if e.get("status") == "failed"]


def status_seconds(run_dir: Path) -> tuple[float, float, str]:
    """``jobs/status.py`` (gather + render) as it is, and with journals read the old way; the texts must agree."""
    from hpc.status import gather, render

    def text() -> str:
        return render(gather(run_dir))

    ours, new_text = best(text, 2), text()
    fast = Journal.outcomes
    Journal.outcomes = old_outcomes  # type: ignore[method-assign]
    try:
        base, old_text = best(text, 2), text()
    finally:
        Journal.outcomes = fast  # type: ignore[method-assign]
    assert new_text == old_text, "status differs from the old way's"
    return ours, base, render(gather(run_dir))


def selection_seconds(run_dir: Path, shards: int) -> dict[str, float]:
    shard = Shard(STAGE, shards // 3, shards, str(run_dir))
    n = len(load_manifest(run_dir, columns=["row"]))
    start, stop = shard.bounds(n, 64)

    def old_download() -> None:
        m = load_manifest(run_dir)
        ids_digest(m["gbifID"])
        m.iloc[start:stop]

    def new_download() -> None:
        ids_digest(load_manifest(run_dir, columns=["gbifID", "label"])["gbifID"])
        load_manifest_rows(run_dir, start, stop, columns=["row", "gbifID", "identifier"])

    return {
        "old": best(lambda: load_manifest(run_dir).iloc[start:stop]),
        "new": best(lambda: load_shard_manifest(run_dir, shard, 64)),
        "old_download": best(old_download),
        "new_download": best(new_download),
    }


def old_failures(journal: Journal) -> list[dict]:
    """What the failure table did per journal before: every line through json.loads (``Journal.latest``)."""
    keys = ("id", "stage", "shard", "reason", "error", "time")
    return [{k: e.get(k) for k in keys} for e in journal.latest().values() if e.get("status") == "failed"]


def report_seconds(run_dir: Path) -> tuple[float, float, int]:
    """The report page as it is, and with the failure table read the old way; the pages must agree."""
    from herbproc.report.stage import build_report

    cfg = compose(["stage=report", f"run_dir={run_dir}"])

    def page() -> str:
        return build_report(cfg).read_text()

    ours, new_page = best(page, 2), page()
    fast = Journal.failures
    Journal.failures = old_failures  # type: ignore[method-assign]
    try:
        base, old_page = best(page, 2), page()
    finally:
        Journal.failures = fast  # type: ignore[method-assign]
    strip = re.compile(r"generated [^<]*|\d+(\.\d+)? ?s\b")  # the time stamp and the page's own timing
    assert strip.sub("", new_page) == strip.sub("", old_page), "the report differs from the old way's"
    return ours, base, len(new_page.encode())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--shards", type=int, default=200)
    args = ap.parse_args()
    print(f"# {platform.node()} {os.cpu_count()} CPUs, load {os.getloadavg()}, synthetic, {args.items} items")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        big, small = Path(tmp) / "big", Path(tmp) / "small"
        t0 = time.perf_counter()
        write_manifest(big, args.items)
        write_manifest(small, 1000)
        write_journals(big, args.items, args.shards)
        print(f"# inputs written in {time.perf_counter() - t0:.1f} s")
        rows = []
        plan_big, plan_small = plan_seconds(big, args.shards), plan_seconds(small, args.shards)
        rows.append(("(a) launch plan, 200 shards (dry run)", plan_big, "1,000-row run", plan_small))
        new_s, old_s, text = status_seconds(big)
        rows.append(("(b) jobs/status.py, 1 M journal lines", new_s, "json.loads every line", old_s))
        sel = selection_seconds(big, args.shards)
        rows.append(
            ("(c) one shard's rows (row groups)", sel["new"], "whole manifest, then slice", sel["old"])
        )
        rows.append(("(c) download shard inputs", sel["new_download"], "whole manifest", sel["old_download"]))
        report_s, report_base, size = report_seconds(big)
        rows.append(("(d) report page", report_s, "failures by json.loads", report_base))
        print(f"{'measure':<42} {'ours s':>8}   {'baseline':<28} {'base s':>8} {'base/ours':>9}")
        for name, ours, base_name, base in rows:
            print(f"{name:<42} {ours:>8.3f}   {base_name:<28} {base:>8.3f} {base / ours:>9.1f}")
        print(f"# (d) report page: HTML {size:,} bytes")
        print("# status:\n" + "\n".join("#   " + line for line in text.splitlines()))


if __name__ == "__main__":
    main()
