"""The demo pipeline end to end on a tiny synthetic world, local executor: every stage's output is there and
consistent with the world's ground truth."""

from __future__ import annotations

import json

import pandas as pd
from conftest import DEMO_TINY, run_cli


def test_demo_pipeline_tiny_world(demo_run):
    run_dir, proc = demo_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Report: " in proc.stdout
    truth = {p.stem: json.loads(p.read_text()) for p in (run_dir / "synth" / "truth").glob("*.json")}
    assert len(truth) == 9
    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    assert sorted(manifest["gbifID"]) == sorted(truth)
    assert manifest["label"].nunique() == 3
    from herbproc.store import open_store

    store = open_store(run_dir / "store")
    assert len(store) == 9 and bool(store.valid.all())
    for i, gid in enumerate(store.gbif_ids):
        original = (run_dir / "synth" / "images" / f"{gid}.jpg").read_bytes()
        assert store.original(i) == original, "stored bytes equal the served bytes"
    occurrences = pd.read_csv(run_dir / "ocr" / "occurrences.csv", dtype=str)
    assert sorted(occurrences["gbifID"]) == sorted(truth)
    names = dict(zip(occurrences["gbifID"], occurrences["scientificName"].fillna(""), strict=True))
    right = sum(names[g].startswith(t["species"]["canonicalName"]) for g, t in truth.items())
    print(f"OCR read the right name on {right} of {len(truth)} tiny sheets")
    assert right >= 0.6 * len(truth)
    predictions = pd.read_parquet(run_dir / "phenology" / "predictions.parquet")
    assert sorted(predictions["gbifID"].astype(str)) == sorted(truth)
    kept = predictions[~predictions["abstain"]]
    machine = occurrences[occurrences["reproductiveConditionSource"] == "machine-predicted"]
    assert sorted(machine["gbifID"]) == sorted(kept["gbifID"].astype(str))
    assert all("(machine-predicted, p=" in text for text in machine["reproductiveCondition"])
    page = (run_dir / "report" / "index.html").read_text()
    for stage in ("synth", "ingest", "download", "mask", "train", "evaluate", "predict", "phenology", "ocr"):
        assert f'id="{stage}"' in page
    again = run_cli("launch", "stage=pipeline", f"run_dir={run_dir}", *DEMO_TINY)  # the demo's own stages
    assert again.returncode == 0
    assert again.stdout.count("nothing to do") >= 9, again.stdout


def test_a_demo_whose_port_is_held_stops_with_one_line(tmp_path):
    import socket

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        proc = run_cli("launch", "stage=pipeline", f"run_dir={tmp_path / 'run'}", *DEMO_TINY, f"pipeline.port={port}")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot serve") and f"port {port}" in lines[0], lines
    assert "pipeline.port=<free port>" in lines[0]
