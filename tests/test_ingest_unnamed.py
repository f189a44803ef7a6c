"""``ingest.keep_unnamed``: a record without a name at ``ingest.label_level`` stays in the manifest outside every
class and split (label -1, split "", label_name ""), after the classes, uncapped; with it off it is dropped as
``no_label``. Both ingest paths agree, the named rows are those of a run without it, and the stages that need a
class leave such rows out (training's class count, evaluation, the CUB export)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from faultserver import FaultServer
from gbif_archive import media_row, record, write_dwca
from test_ingest_sources import api_record, simple_csv
from test_ingest_stream import assert_same, odd_world

from herbproc.config import ConfigError, compose
from herbproc.gbif.stage import ingest, write_outputs
from herbproc.manifest import manifest_columns
from herbproc.ocr.inputs import taxonomy
from herbproc.ocr.stage import class_names
from herbproc.store.dataset import StoreDataset
from herbproc.store.store import create_store

KEEP = "ingest.keep_unnamed=true"


def nameless_world():
    """The odd world with more records that name no species (genus alone, nothing, a higher rank's name)."""
    recs, media = odd_world()
    for i in (12, 14, 15, 17, 18, 19, 21):
        recs[i].update(
            genus="Carex", specificEpithet="", species="", scientificName="Carex L.", taxonRank="GENUS"
        )
    recs[16].update(genus="", specificEpithet="", species="", scientificName="Plantae")
    return recs, media


def ingested_run(tmp_path) -> None:
    """The nameless world ingested with ``ingest.keep_unnamed`` into ``tmp_path/run``."""
    recs, media = nameless_world()
    archive = write_dwca(tmp_path / "a.zip", recs, media)
    cfg = compose(["stage=ingest", f"run_dir={tmp_path / 'run'}", f"input={archive}", KEEP])
    write_outputs(cfg, ingest(cfg))


def named_rows(manifest: pd.DataFrame) -> pd.DataFrame:
    return manifest[manifest["label"] >= 0].reset_index(drop=True)


@pytest.mark.parametrize(
    "extra",
    [[], ["ingest.max_per_class=3", "ingest.min_per_class=2", "seed=3"], ["ingest.label_level=genus"]],
)
def test_unnamed_records_stay_after_the_classes_on_both_paths(tmp_path, extra):
    recs, media = nameless_world()
    archive = write_dwca(tmp_path / "odd.zip", recs, media)
    kept = assert_same(tmp_path / "keep", archive, KEEP, *extra)
    dropped = assert_same(tmp_path / "drop", archive, *extra)
    m = kept.manifest
    lost = dropped.drops.table()
    nameless = set(lost.loc[lost["reason"] == "no_label", "gbifID"])
    assert nameless and "no_label" not in set(kept.drops.table()["reason"])
    unnamed = m[m["label"] == -1]
    assert set(unnamed["gbifID"]) == nameless  # every one of them, no cap, no minimum
    assert set(unnamed["split"]) == {""} and set(unnamed["label_name"]) == {""}
    ids = unnamed["gbifID"].astype(int).tolist()
    assert ids == sorted(ids) and unnamed["row"].tolist() == list(range(len(m) - len(ids), len(m)))
    pd.testing.assert_frame_equal(named_rows(m), dropped.manifest)  # the classes as without the setting
    pd.testing.assert_frame_equal(kept.classes, dropped.classes)
    assert kept.splits == {**dropped.splits, "unnamed": len(nameless)}


def test_unnamed_records_are_written_out_and_counted(tmp_path):
    ingested_run(tmp_path)
    summary = json.loads((tmp_path / "run" / "ingest" / "summary.json").read_text())
    manifest = pd.read_parquet(tmp_path / "run" / "manifest.parquet")
    assert summary["splits"]["unnamed"] == int((manifest["label"] == -1).sum()) > 0
    assert summary["images"] == len(manifest)
    classes = pd.read_csv(tmp_path / "run" / "classes.csv")
    assert classes["label"].tolist() == list(range(len(classes)))  # no class for them
    assert classes["n_images"].sum() == int((manifest["label"] >= 0).sum())


def test_the_run_taxonomy_is_the_names_of_the_classes(tmp_path):
    ingested_run(tmp_path)
    run = tmp_path / "run"
    manifest = pd.read_parquet(run / "manifest.parquet")
    assert {"Carex L.", "Plantae"} <= set(manifest.loc[manifest["label"] == -1, "scientificName"])
    names = class_names(run, ["scientificName", "label_name"], manifest_columns(run))
    assert set(names["scientificName"]) == set(manifest.loc[manifest["label"] >= 0, "scientificName"])
    named = manifest[manifest["label"] >= 0][["scientificName", "label_name"]].reset_index(drop=True)
    assert taxonomy(None, names).names == taxonomy(None, named).names
    assert "Carex L." in taxonomy(None, manifest[["scientificName", "label_name"]]).names  # what it keeps out


def test_only_unnamed_records_make_a_manifest_without_classes(tmp_path):
    recs = [record(str(700 + i), specificEpithet="", species="", scientificName="") for i in range(4)]
    media = [media_row(r["gbifID"], f"http://h/{r['gbifID']}.jpg") for r in recs]
    archive = write_dwca(tmp_path / "none.zip", recs, media)
    result = assert_same(tmp_path, archive, KEEP)
    assert len(result.manifest) == 4 and len(result.classes) == 0 and result.splits == {"unnamed": 4}


def test_simple_csv_asks_the_api_for_unnamed_records_too(tmp_path):
    rows = [dict(record(str(300 + i)), mediaType="StillImage") for i in range(9)]
    for r in rows[6:]:
        r.update(specificEpithet="", species="", scientificName="")
    src = simple_csv(tmp_path / "s.csv", rows)
    with FaultServer() as srv:
        for r in rows:
            srv.occurrences[r["gbifID"]] = api_record(r["gbifID"], f"http://img/{r['gbifID']}.jpg")
        cfg = compose(["stage=ingest", f"run_dir={tmp_path / 'run'}", f"input={src}", f"ingest.api_base={srv.base}",
                       "ingest.max_per_class=2", KEEP])  # fmt: skip
        m = ingest(cfg).manifest
    unnamed = m[m["label"] == -1]
    assert unnamed["gbifID"].tolist() == ["306", "307", "308"]  # uncapped, by id, last
    assert unnamed["identifier"].tolist() == [f"http://img/{g}.jpg" for g in ("306", "307", "308")]
    assert len(m) == 2 + 3


def test_keep_unnamed_takes_only_true_or_false(tmp_path):
    with pytest.raises(ConfigError, match="ingest.keep_unnamed"):
        compose(["stage=ingest", f"run_dir={tmp_path}", "input=x.zip", "ingest.keep_unnamed=3"])


def test_a_labelled_dataset_leaves_the_unnamed_rows_out(tmp_path):
    labels = [0, 1, -1, 0, -1]
    store = create_store(tmp_path / "store", backend="zarr", gbif_ids=[str(i) for i in range(5)], labels=labels,
                         height=8, width=6, block=4)  # fmt: skip
    img = np.zeros((8, 6, 3), np.uint8)
    with store.writer("core") as w:
        for i in range(5):
            w.put(i, image=img, original=b"\xff\xd8", height=8, width=6, nbytes=2, sha256=f"{i:064x}",
                  content_type="image/jpeg", image_format="jpeg", orientation=1, box=[0, 0, 8, 6])  # fmt: skip
    store.mark_complete("core")
    store.close()
    assert StoreDataset(tmp_path / "store").rows.tolist() == [0, 1, 2, 3, 4]  # predict reads them all
    labelled = StoreDataset(tmp_path / "store", labelled=True)
    assert labelled.rows.tolist() == [0, 1, 3] and labelled.labels.tolist() == [0, 1, 0]
