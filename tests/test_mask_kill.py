"""kill -9 in the middle of `jobs/launch.py stage=mask`, then relaunch: every sheet is masked and journaled
exactly once across both launches, the store's mask arrays and boxes.parquet are complete, originals intact."""

from __future__ import annotations

import json

import pandas as pd
from conftest import launch_then_kill, run_cli
from mask_helpers import store_run, synthetic_sheets

from herbproc.store import open_store

N = 8


def journal_ok(run_dir) -> list[str]:
    ids = []
    for path in sorted((run_dir / "state" / "mask" / "shards").glob("*.items.jsonl")):
        for line in path.read_text().splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by the kill
            if entry.get("status") == "ok":
                ids.append(entry["id"])
    return ids


def test_kill_during_mask_then_relaunch(tmp_path):
    sheets = synthetic_sheets(N, seed=11, width=450, height=675)
    originals = [s.jpeg_bytes() for s in sheets]
    run_dir = tmp_path / "run"
    store_path = store_run(run_dir, originals, block=2)
    args = ["stage=mask", f"run_dir={run_dir}", "shards=2", "mask.batch_size=1", "cluster.poll_s=0.2"]
    launch_then_kill(args, lambda: len(journal_ok(run_dir)), 2, timeout=120)
    at_kill = journal_ok(run_dir)
    assert 2 <= len(at_kill) < N, f"the kill should land in the middle ({len(at_kill)} of {N} done)"
    assert not (run_dir / "mask" / "boxes.parquet").exists()

    again = run_cli("launch", *args, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr

    done = journal_ok(run_dir)
    store = open_store(store_path)
    ids = [str(g) for g in store.gbif_ids]
    assert sorted(done) == sorted(ids), "every sheet journaled exactly once over both launches"
    assert store.variant == "masked" and store.valid_for("masked").all()
    assert [store.original(i) for i in range(N)] == originals
    boxes = pd.read_parquet(run_dir / "mask" / "boxes.parquet")
    assert set(boxes["gbifID"]) == set(ids)
    for row in range(N):
        assert json.loads(store.read("mask_detections", row))["width"] == 450
        assert store.read("mask", row).max() == 255
