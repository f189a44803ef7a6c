"""The classifier prior in stage=ocr when the label gives no name: by default the name stays empty (the image never
names a sheet alone); with ``ocr.image_fallback`` the classifier's top-1 fills it, flagged in
``identificationRemarks`` and ``taxon_source``; a label that gives its name is untouched either way."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from ocr_models import blank_sheet, synthetic_run

from herbproc.config import ConfigError, compose
from herbproc.ocr.inputs import write_predictions
from herbproc.ocr.settings import ocr_settings
from herbproc.shard import execute_shard

BLANK = "900000011"
FALLBACK_NAME = "Carex crinita Lam."


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One labelled sheet and one sheet of bare paper, with a classifier's top-k for both."""
    tmp = tmp_path_factory.mktemp("fallback")
    run_dir, base, _ = synthetic_run(
        tmp, species=1, sheets_per_species=1, width=600, handwriting_share=0.0,
        extra={BLANK: (blank_sheet(), FALLBACK_NAME)},
    )  # fmt: skip
    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    labelled = next(g for g in manifest["gbifID"].astype(str) if g != BLANK)
    own = str(manifest.loc[manifest["gbifID"].astype(str) == labelled, "scientificName"].iloc[0])
    write_predictions(
        run_dir / "predict" / "predictions.parquet",
        [(BLANK, [FALLBACK_NAME, own], [0.83, 0.1]), (labelled, [FALLBACK_NAME, own], [0.6, 0.3])],
    )
    return run_dir, labelled, own


def read_run(run_dir, tmp_path, *overrides: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    copy = tmp_path / "copy"
    shutil.copytree(run_dir, copy)
    cfg = compose(["stage=ocr", f"run_dir={copy}", "shards=1", "ocr.threads=2", *overrides])
    execute_shard(cfg, 0)
    table = pd.read_parquet(copy / "ocr" / "results.parquet").set_index("gbifID")
    occ = pd.read_csv(copy / "ocr" / "occurrences.csv", dtype=str, keep_default_na=False).set_index("gbifID")
    return table, occ


def test_by_default_an_unreadable_sheet_stays_unnamed(run, tmp_path):
    run_dir, labelled, own = run
    table, occ = read_run(run_dir, tmp_path)
    blank = table.loc[BLANK]
    assert blank["status"] == "no_label" and blank["prior_used"]
    assert (
        blank["scientificName"] == "" and blank["taxon_source"] == "" and blank["identificationRemarks"] == ""
    )
    # the label's own name wins over the classifier's (wrong) favourite, and is the label's
    assert table.loc[labelled, "scientificName"] == own and table.loc[labelled, "taxon_source"] == "label"
    assert occ.loc[BLANK, "scientificName"] == "" and "identificationRemarks" in occ.columns


def test_image_fallback_fills_the_name_and_says_so(run, tmp_path):
    run_dir, labelled, own = run
    table, occ = read_run(run_dir, tmp_path, "ocr.image_fallback=true")
    blank = table.loc[BLANK]
    assert (blank["scientificName"], blank["genus"], blank["taxon_source"]) == (
        FALLBACK_NAME,
        "Carex",
        "image",
    )
    assert blank["scientificName_confidence"] == pytest.approx(0.83, abs=1e-3)
    assert "image" in blank["identificationRemarks"] and "0.83" in blank["identificationRemarks"]
    assert blank["taxon_ocr"] == "", "the text alone still names nothing"
    assert occ.loc[BLANK, "scientificName"] == FALLBACK_NAME
    assert occ.loc[BLANK, "identificationRemarks"] == blank["identificationRemarks"]
    assert table.loc[labelled, "scientificName"] == own and occ.loc[labelled, "identificationRemarks"] == ""
    # a classifier less sure than ocr.image_fallback_min does not name it
    table, _ = read_run(run_dir, tmp_path / "strict", "ocr.image_fallback=true", "ocr.image_fallback_min=0.9")
    assert table.loc[BLANK, "scientificName"] == ""


def test_fallback_settings_are_checked(tmp_path):
    with pytest.raises(ValueError, match="image_fallback_min"):
        ocr_settings(image_fallback_min=1.5)
    with pytest.raises(ConfigError, match="image_fallback_min"):
        compose(["stage=ocr", f"run_dir={tmp_path}", "ocr.image_fallback_min=2"])
    with pytest.raises(ConfigError):
        compose(["stage=ocr", f"run_dir={tmp_path}", "ocr.image_fallback=maybe"])
