"""Report sections with hostile data: record ids that would leave the assets folder, names and texts with HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from herbproc.config import compose
from herbproc.store import create_store

SAFE, ESCAPE, MARKUP = "1001", "../../../../x/PWNED", "<img src=x onerror=alert(1)>"
NAME = '<script>alert("name")</script>'


def hostile_run(run: Path) -> list[str]:
    """A run whose store holds three sheets, gbifIDs as an old manifest (before ingest checked them) could."""
    ids = [SAFE, ESCAPE, MARKUP]
    store = create_store(run / "store", backend="zarr", gbif_ids=ids, labels=[0, 0, 0], height=36, width=24,
                         codec="zstd", block=4)  # fmt: skip
    with store.writer("core") as w:
        for row in range(len(ids)):
            w.put(row, image=np.full((36, 24, 3), 40 * row, np.uint8), original=b"x", height=36, width=24,
                  nbytes=1, sha256="0" * 64, content_type="image/jpeg", image_format="jpeg", orientation=1,
                  box=[0, 0, 36, 24])  # fmt: skip
    return ids


def no_markup_from_data(page: str) -> None:
    assert "<script" not in page and "onerror=alert(1)>" not in page
    for src in re.findall(r"src='([^']*)'", page):
        assert "/" not in src and ".." not in src and "<" not in src, src


def test_evaluate_report_escapes_names_and_ids_and_writes_only_safe_files(tmp_path):
    from herbproc.ielt.evaluate import report_section

    run = tmp_path / "run"
    ids = hostile_run(run)
    out = run / "evaluate"
    out.mkdir(parents=True)
    metrics = {"images": 3, "split": "test", "variant": "raw", "classes_present": 2, "classes": 2, "top1": 0.0,
               "k": 2, "topk": 1.0, "macro_f1": 0.0, "mean_class_accuracy": 0.0, "ece": 0.1, "mean_confidence": 0.5,
               "level_accuracy": {"family": 1.0, "genus": 0.5, "species": 0.0}}  # fmt: skip
    (out / "metrics.json").write_text(json.dumps(metrics))
    pd.DataFrame([{"label": 0, "name": NAME, "support": 3, "correct": 0, "accuracy": 0.0, "confused_with": NAME},
                  {"label": 1, "name": "Quercus rubra", "support": 0, "correct": 0, "accuracy": 0.0,
                   "confused_with": ""}]).to_csv(out / "per_class.csv", index=False)  # fmt: skip
    pd.DataFrame({"gbifID": ids, "row": [0, 1, 2], "label": 0, "pred": 1, "correct": False,
                  "confidence": 0.9}).to_parquet(out / "predictions.parquet")  # fmt: skip
    cfg = compose(["stage=evaluate", f"run_dir={run}", "evaluate.samples_per_class=3"], check_inputs=False)
    assets = run / "report"
    page = report_section(cfg, assets)
    no_markup_from_data(page)
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert sorted(p.name for p in assets.iterdir()) == [f"evaluate_class0_{SAFE}.jpg"]  # no picture for the others
    assert not (tmp_path / "x").exists() and not list(tmp_path.parent.glob("x/PWNED*"))


def test_phenology_sample_sheets_escape_and_stay_in_assets(tmp_path):
    from herbproc.phenology.files import PROB_COLUMNS
    from herbproc.phenology.report import sample_sheets

    run = tmp_path / "run"
    ids = hostile_run(run)
    table = pd.DataFrame({"gbifID": ids, "row": [0, 1, 2], "abstain": False, "state": "flowers",
                          "confidence": [0.9, 0.8, 0.7], "record_condition": NAME})  # fmt: skip
    for c in PROB_COLUMNS:
        table[c] = 0.5
    cfg = compose(["stage=phenology", f"run_dir={run}"], check_inputs=False)
    assets = run / "report"
    assets.mkdir()
    page = sample_sheets(cfg, table, assets, per_state=3)
    no_markup_from_data(page)
    assert "&lt;script&gt;" in page and page.count("<figure") == 3
    assert sorted(p.name for p in assets.iterdir()) == [f"phenology_flowers_{SAFE}.jpg"]
    assert not (tmp_path / "x").exists()


def test_ocr_sample_rows_write_crops_only_for_safe_ids(tmp_path):
    from gbif_archive import make_image

    from herbproc.ocr.report import SHOWN_TERMS, sample_rows

    run = tmp_path / "run"
    ids = [SAFE, ESCAPE, MARKUP]
    store = create_store(run / "store", backend="zarr", gbif_ids=ids, labels=[0, 0, 0], height=36, width=24,
                         codec="zstd", block=4)  # fmt: skip
    with store.writer("core") as w:
        for row in range(3):
            w.put(row, image=np.zeros((36, 24, 3), np.uint8), original=make_image(80, 120, seed=row), height=120,
                  width=80, nbytes=1, sha256="0" * 64, content_type="image/jpeg", image_format="jpeg",
                  orientation=1, box=[0, 0, 36, 24])  # fmt: skip
    label = {"index": 0, "x0": 0, "y0": 0, "x1": 60, "y1": 40}
    line = {"label": 0, "polygon": [2, 2, 50, 2, 50, 10, 2, 10]}
    table = pd.DataFrame({"gbifID": ids, "n_labels": 1, "labels": [[label]] * 3, "lines": [[line]] * 3})
    for t in SHOWN_TERMS:
        table[t] = NAME
        table[t + "_confidence"] = 0.5
    cfg = compose(["stage=ocr", f"run_dir={run}", "ocr.report_samples=3"], check_inputs=False)
    assets = run / "report"
    page = sample_rows(cfg, table, assets)
    no_markup_from_data(page)
    assert page.count("&lt;script&gt;") == 3 * len(SHOWN_TERMS)
    assert sorted(p.name for p in assets.iterdir()) == [f"ocr_{SAFE}.png"]
    assert not (tmp_path / "x").exists()
