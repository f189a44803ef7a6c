"""bench/pipeline_real.py's archive: one record per gold sheet, and with --records-with-gold the gold's values in
the records, as ingest reads them into the manifest."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

from herbproc.config import compose
from herbproc.gbif.stage import ingest, write_outputs

BENCH = Path(__file__).resolve().parents[1] / "bench" / "pipeline_real.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("pipeline_real", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["pipeline_real"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.mark.parametrize("with_gold", [False, True])
def test_the_records_hold_the_gold_only_when_asked(tmp_path, with_gold: bool) -> None:
    bench = load_bench()
    image = tmp_path / "NY_1.jpg"
    image.write_bytes(b"not read here")
    truth = {"scientificName": "Carex crinita Lam. | Carex gynandra Schwein.", "recordedBy": "N. L. BRITTON",
             "recordNumber": "2217", "eventDate": "1905-03-02", "country": "PORTO RICO", "stateProvince": "",
             "county": "", "locality": "Near Rio Piedras", "catalogNumber": "00198990"}  # fmt: skip
    archive, www = bench.write_world(tmp_path / "work", [("aocr", image, truth)], "http://127.0.0.1:1", with_gold)
    assert (www / "00000-NY_1.jpg").resolve() == image.resolve()
    cfg = compose(["stage=ingest", f"run_dir={tmp_path / 'run'}", f"input={archive}"])
    write_outputs(cfg, ingest(cfg))
    row = pd.read_parquet(tmp_path / "run" / "manifest.parquet").iloc[0]
    assert row["scientificName"] == "Carex crinita Lam."  # the first of the gold's names
    for term in ("recordedBy", "recordNumber", "eventDate", "country", "locality", "catalogNumber"):
        assert (row.get(term) or "") == (truth[term] if with_gold else ""), term
