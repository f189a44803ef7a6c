"""Accuracy measures against synthetic truth, the simulated classifier prior, and the OCR stage's inputs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from herbproc.ocr.evaluate import (
    cer_summary,
    evaluate_run,
    field_scores,
    line_errors,
    same_taxon,
    simulated_prior,
)
from herbproc.ocr.inputs import load_predictions, taxonomy, write_predictions
from herbproc.ocr.results import occurrences, results_table

TRUTH = {
    "species": {"scientificName": "Carex crinita Lam."},
    "objects": [
        {"kind": "label", "lines": [
            {"text": "Carex crinita Lam.", "box": [100, 100, 300, 120]},
            {"text": "Coll. M. L. Fernald", "box": [100, 130, 250, 150]},
            {"text": "No. 1234", "box": [260, 130, 330, 150]},
            {"text": "Essex County", "box": [100, 160, 220, 180], "handwritten": True},
        ]},
        {"kind": "stamp", "lines": [{"text": "GRAY HERBARIUM", "box": [500, 50, 600, 70]}]},
    ],
    "label_fields": ["scientificName", "recordedBy", "recordNumber", "county"],
    "dwc": {"scientificName": "Carex crinita Lam.", "recordedBy": "M. L. Fernald", "recordNumber": "1234",
            "county": "Essex"},
}  # fmt: skip


def test_line_errors_join_rows_and_count_missed_lines():
    lines = [
        {"box": [95, 95, 305, 125], "text": "Carex crinita Lam."},
        {
            "box": [95, 125, 335, 155],
            "text": "Coll. M. L. Fernald No. 1284",
        },  # one OCR line over two truth lines
    ]
    errors = line_errors(TRUTH, lines)
    assert sorted(errors) == sorted([
        ("Carex crinita Lam.", "Carex crinita Lam.", 0),
        ("Coll. M. L. Fernald No. 1234", "Coll. M. L. Fernald No. 1284", 1),
        ("Essex County", "", 12),
    ])  # fmt: skip
    assert line_errors(TRUTH, lines, handwritten=True) == [("Essex County", "", 12)]
    assert len(line_errors(TRUTH, lines, handwritten=False)) == 2
    summary = cer_summary(errors)
    assert summary["lines"] == 3 and summary["missed"] == 1
    assert summary["cer"] == pytest.approx(13 / (18 + 28 + 12), abs=1e-4)
    assert summary["lines_within_2pct"] == pytest.approx(1 / 3, abs=1e-3)
    assert cer_summary([]) == {"lines": 0, "missed": 0, "cer": 0.0, "median_line_cer": 0.0,
                               "lines_within_2pct": 0.0}  # fmt: skip


def test_field_scores_ignore_case_and_punctuation_and_compare_taxa_by_name():
    read = {"scientificName": "CAREX CRINITA Lamarck", "recordedBy": "m.l. fernald", "recordNumber": "1284",
            "county": ""}  # fmt: skip
    scores = field_scores(TRUTH, read)
    assert scores["scientificName"][0] and scores["recordedBy"][0]
    assert not scores["recordNumber"][0] and 0.7 < scores["recordNumber"][1] < 1.0
    assert scores["county"] == (False, 0.0)
    assert same_taxon("Carex crinita var. minor Boott", "Carex crinita var. minor") and not same_taxon("", "")


def test_simulated_prior_has_the_asked_accuracy():
    names = [f"Genus{i} epithet" for i in range(20)]
    rng = np.random.default_rng(1)
    right, total_mass = 0, []
    for i in range(2000):
        true = names[i % 20]
        prior = simulated_prior(true, names, 0.7, rng, k=5)
        assert len(prior) == 5 and true in prior, "the right name is always in the top-5"
        total_mass.append(sum(prior.values()))
        right += max(prior, key=prior.get) == true
    assert abs(right / 2000 - 0.7) < 0.04
    assert max(total_mass) <= 1.0 and min(total_mass) > 0.5
    with pytest.raises(ValueError, match="accuracy"):
        simulated_prior(names[0], names, 1.5, rng)


def record(text: str, name: str, ocr_name: str, prior: bool) -> dict:
    return {
        "width": 1000, "height": 1500, "status": "ok", "engine": "ppocr",
        "labels": [{"index": 0, "kind": "label", "box": [90, 90, 340, 190], "score": 0.9}],
        "lines": [{"label": 0, "line": 0, "box": [95, 95, 305, 125], "polygon": [[95, 95], [305, 95], [305, 125],
                   [95, 125]], "text": text, "confidence": 0.9, "engine": "ppocr",
                   "readings": [{"text": text, "confidence": 0.9, "engine": "ppocr"}]}],
        "fields": {"scientificName": name}, "confidence": {"scientificName": 0.9},
        "taxon_ocr": {"name": ocr_name, "confidence": 0.5}, "prior_used": prior,
    }  # fmt: skip


def test_evaluate_run_against_truth(tmp_path):
    (tmp_path / "synth" / "truth").mkdir(parents=True)
    for gid in ("1", "2"):
        (tmp_path / "synth" / "truth" / f"{gid}.json").write_text(json.dumps(TRUTH))
    table = results_table([
        ("1", record("Carex crinita Lam.", "Carex crinita Lam.", "Carex crinita Lam.", True)),
        ("2", record("Carex crinjta Lam.", "Carex crinita Lam.", "Carex crinata Lam.", True)),
        ("3", record("no truth for this one", "", "", False)),
    ]).to_pandas()  # fmt: skip
    metrics = evaluate_run(tmp_path, table)
    assert metrics["sheets"] == 2 and metrics["prior_sheets"] == 2
    assert metrics["taxon_accuracy"] == 1.0 and metrics["taxon_accuracy_ocr_only"] == 0.5
    fields = {f["term"]: f for f in metrics["fields"]}
    assert fields["scientificName"]["accuracy"] == 1.0 and fields["recordedBy"]["accuracy"] == 0.0
    assert metrics["lines"]["lines"] == 2 * 4 and metrics["lines"]["missed"] == 2 * 3  # the stamp is not read
    assert evaluate_run(tmp_path / "elsewhere", table) == {}
    occ = occurrences(
        results_table([("1", record("x", "Carex crinita Lam.", "", False))]), min_confidence=0.95
    )
    assert occ.loc[0, "scientificName"] == "" and list(occ.columns)[0] == "gbifID"


def test_predictions_and_taxonomy_inputs(tmp_path):
    path = write_predictions(tmp_path / "p.parquet", [("7", ["Carex crinita", "Carex lurida"], [0.8, 0.1])])
    assert load_predictions(path) == {"7": {"Carex crinita": 0.8, "Carex lurida": 0.1}}
    three = write_predictions(tmp_path / "three.parquet", [(g, ["Carex crinita"], [0.5]) for g in ("7", "8", "9")])
    assert set(load_predictions(three, ids=["9", "7", "42"])) == {"7", "9"}  # a shard's sheets only
    assert load_predictions(three, ids=[]) == {}
    pd.DataFrame({"gbifID": ["1"], "names": [["a"]]}).to_parquet(tmp_path / "nocols.parquet")
    with pytest.raises(ValueError, match="lacks column"):
        load_predictions(tmp_path / "nocols.parquet")
    with pytest.raises(FileNotFoundError, match="predictions file not found"):
        load_predictions(tmp_path / "none.parquet")
    (tmp_path / "text.parquet").write_text("not parquet")
    with pytest.raises(ValueError, match="cannot read predictions"):
        load_predictions(tmp_path / "text.parquet")
    uneven = pd.DataFrame({"gbifID": ["1"], "topk_names": [["a", "b"]], "topk_probs": [[0.5]]})
    uneven.to_parquet(tmp_path / "uneven.parquet")
    with pytest.raises(ValueError, match="2 names but 1 probabilities"):
        load_predictions(tmp_path / "uneven.parquet")
    negative = write_predictions(tmp_path / "neg.parquet", [("1", ["a"], [-0.1])])
    with pytest.raises(ValueError, match=">= 0"):
        load_predictions(negative)
    manifest = pd.DataFrame({"scientificName": ["Carex crinita Lam.", "Carex crinita Lam.", "", "Quercus alba L."],
                             "label_name": ["Carex crinita"] * 2 + ["Quercus alba"] * 2})  # fmt: skip
    assert taxonomy(None, manifest).names == ["Carex crinita Lam.", "Quercus alba L."]
    assert taxonomy(None, manifest[["label_name"]]).names == ["Carex crinita", "Quercus alba"]
    assert taxonomy(None, None) is None and taxonomy(None, manifest.iloc[:0]) is None
