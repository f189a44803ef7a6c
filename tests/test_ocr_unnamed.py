"""stage=ocr on a record kept without a name (``ingest.keep_unnamed``): its label is read without the run's
taxonomy, whose names need not hold it (``ocr.unnamed_taxonomy=true`` reads it against them), while the named
records are read against the taxonomy as before."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from ocr_models import synthetic_run

from herbproc.config import compose
from herbproc.fields import parse_name
from herbproc.ocr.stage import shard_items
from herbproc.shard import execute_shard


def binomial(name: str) -> str:
    parsed = parse_name(name or "")
    return f"{parsed.genus} {parsed.specific_epithet}" if parsed else ""


@pytest.fixture(scope="module")
def one_unnamed(tmp_path_factory):
    """Two synthetic sheets of two species; the second's record made one without a name (as ingest keeps it), so
    the run's taxonomy holds only the first species."""
    tmp = tmp_path_factory.mktemp("ocr_unnamed")
    run_dir, base, _ = synthetic_run(tmp, species=2, sheets_per_species=1, width=1000, handwriting_share=0.0)
    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    assert manifest["label"].tolist() == [0, 1]
    truth = dict(zip(manifest["gbifID"], manifest["scientificName"], strict=True))
    manifest.loc[1, ["label", "label_name", "split", "scientificName"]] = [-1, "", "", ""]
    manifest.to_parquet(run_dir / "manifest.parquet", index=False)
    named, unnamed = manifest["gbifID"].tolist()
    assert binomial(truth[named]).split()[1] != binomial(truth[unnamed]).split()[1]
    return run_dir, base, truth, named, unnamed


def read(run_dir, base, *extra) -> pd.DataFrame:
    shutil.rmtree(run_dir / "ocr", ignore_errors=True)
    shutil.rmtree(run_dir / "state" / "ocr", ignore_errors=True)
    execute_shard(compose(["stage=ocr", *base, "ocr.threads=2", *extra]), 0)
    return pd.read_parquet(run_dir / "ocr" / "results.parquet").set_index("gbifID")


def test_the_items_of_unnamed_records_are_marked():
    part = pd.DataFrame({"row": [0, 1, 2], "gbifID": ["7", "8", "9"], "label": [3, -1, 0]})
    assert [it.get("unnamed", False) for it in shard_items(part)] == [False, True, False]
    assert not any("unnamed" in it for it in shard_items(part.drop(columns="label")))


def test_an_unnamed_record_is_read_without_the_taxonomy(one_unnamed):
    run_dir, base, truth, named, unnamed = one_unnamed
    table = read(run_dir, base)
    assert table.at[named, "taxon_source"] == "label"  # against the taxonomy
    assert binomial(table.at[named, "scientificName"]) == binomial(truth[named])
    assert table.at[unnamed, "taxon_source"] == "rules"  # the name printed, though no class has it
    assert binomial(table.at[unnamed, "scientificName"]) == binomial(truth[unnamed])


def test_unnamed_taxonomy_reads_it_against_the_classes_names(one_unnamed):
    run_dir, base, truth, named, unnamed = one_unnamed
    table = read(run_dir, base, "ocr.unnamed_taxonomy=true")
    assert table.at[unnamed, "taxon_source"] != "rules"
    assert binomial(table.at[unnamed, "scientificName"]) != binomial(truth[unnamed])  # not in the list
    assert binomial(table.at[named, "scientificName"]) == binomial(truth[named])


def test_unnamed_taxonomy_takes_only_true_or_false(tmp_path):
    from herbproc.config import ConfigError

    with pytest.raises(ConfigError, match="ocr.unnamed_taxonomy"):
        compose(["stage=ocr", f"run_dir={tmp_path}", "ocr.unnamed_taxonomy=2"])


def test_the_genus_its_record_gives_respells_a_near_misreading_of_it(one_unnamed):
    """The record of the unnamed sheet gives a genus one letter off the one its label prints: the name read is
    written with the record's genus (as a misread genus would be), and says so; a genus far off, or the setting
    off, leaves it as read."""
    run_dir, base, truth, named, unnamed = one_unnamed
    printed = binomial(truth[unnamed]).split()[0]
    near = printed[:-1] + ("a" if printed[-1] != "a" else "e")  # a genus one letter off the label's
    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    assert "genus" not in manifest.columns  # the synthetic records name their genus only in scientificName
    try:
        for genus, setting, expected in ((near, [], near), (near, ["ocr.record_genus=false"], printed),
                                         ("Quercus" if printed != "Quercus" else "Salix", [], printed)):  # fmt: skip
            manifest.loc[manifest["gbifID"] == unnamed, "genus"] = genus
            manifest.to_parquet(run_dir / "manifest.parquet", index=False)
            table = read(run_dir, base, *setting)
            assert table.at[unnamed, "scientificName"].split()[0] == expected, (genus, setting)
            assert table.at[unnamed, "genus"] == expected and table.at[unnamed, "taxon_source"] == "rules"
            remark = table.at[unnamed, "identificationRemarks"]
            assert (f"written as the record gives it ({near})" in remark) == (expected == near), remark
            assert binomial(table.at[named, "scientificName"]) == binomial(truth[named])  # a named record: as before
    finally:
        manifest.drop(columns="genus").to_parquet(run_dir / "manifest.parquet", index=False)


def test_the_items_of_unnamed_records_carry_their_records_genus():
    part = pd.DataFrame({"row": [0, 1, 2, 3], "gbifID": ["7", "8", "9", "10"], "label": [3, -1, -1, 0],
                         "genus": ["Carex", "Carex", None, "Salix"]})  # fmt: skip
    assert [it.get("genus") for it in shard_items(part)] == [None, "Carex", None, None]  # unnamed ones only
