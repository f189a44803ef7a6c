"""stage=ocr on small synthetic runs: outputs, a sheet without a label, a corrupt original, the classifier prior,
resuming from the journal, the report section, and configuration errors."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from conftest import run_cli
from ocr_models import blank_sheet, damage_original, synthetic_run

from herbproc.config import ConfigError, compose
from herbproc.fields import DWC_TERMS, parse_name
from herbproc.ocr.evaluate import same_taxon
from herbproc.ocr.inputs import write_predictions
from herbproc.shard import Shard, execute_shard

BLANK, BROKEN = "900000001", "900000002"


@pytest.fixture(scope="module")
def run4(tmp_path_factory):
    """Four synthetic sheets, a sheet of bare paper and a sheet whose stored bytes are cut short, read once."""
    tmp = tmp_path_factory.mktemp("ocr4")
    extra = {
        BLANK: (blank_sheet(), "Carex crinita Lam."),
        BROKEN: (blank_sheet(seed=1), "Carex crinita Lam."),
    }
    run_dir, base, world = synthetic_run(tmp, extra=extra, width=1000, handwriting_share=0.0)
    damage_original(run_dir, BROKEN)
    cfg = compose(["stage=ocr", *base, "ocr.threads=2", "ocr.report_samples=2"])
    result = execute_shard(cfg, 0)
    return run_dir, base, cfg, result


def test_outputs(run4):
    run_dir, _, _, result = run4
    assert (result.items, result.done, result.failed) == (6, 5, 1)
    table = pd.read_parquet(run_dir / "ocr" / "results.parquet")
    truth = {p.stem: json.loads(p.read_text()) for p in (run_dir / "synth" / "truth").glob("*.json")}
    assert sorted(table["gbifID"]) == sorted([*truth, BLANK])
    for _, row in table[table["gbifID"].isin(list(truth))].iterrows():
        t = truth[row["gbifID"]]
        assert row["status"] == "ok" and row["engine"] == "ppocr"
        assert same_taxon(row["scientificName"], t["species"]["scientificName"])
        assert row["scientificName_confidence"] > 0.5
        assert row["genus"] == t["species"]["genus"]
        # the barcode's number is read too (its digits are 7 px tall here: a 0 may pass for an 8)
        expected = t["dwc"]["catalogNumber"]
        code = expected.rstrip("0123456789")
        assert row["catalogNumber"].startswith(code) and len(row["catalogNumber"]) == len(expected)
        assert (row["width"], row["height"]) == (t["image"]["width"], t["image"]["height"]), "full resolution"
        lines = list(row["lines"])
        assert row["n_lines"] == len(lines) >= 5 and row["n_labels"] == len(row["labels"]) >= 1
        first = lines[0]
        assert first["x0"] < first["x1"] and first["y0"] < first["y1"] and len(first["polygon"]) == 8
        assert first["text"] and len(first["readings"]) >= 1
        within = [(ln["label"], ln["line"]) for ln in lines]
        assert within == sorted(within), "lines in reading order within their label"
    occ = pd.read_csv(run_dir / "ocr" / "occurrences.csv", dtype=str, keep_default_na=False)
    assert list(occ.columns) == ["gbifID", *DWC_TERMS]
    assert list(occ["gbifID"]) == list(table["gbifID"])
    summary = json.loads((run_dir / "ocr" / "summary.json").read_text())
    assert summary["truth"]["sheets"] == 4 and summary["truth"]["taxon_accuracy"] == 1.0
    assert summary["truth"]["lines"]["cer"] < 0.1


def test_sheet_without_label_and_corrupt_original(run4):
    run_dir = run4[0]
    table = pd.read_parquet(run_dir / "ocr" / "results.parquet").set_index("gbifID")
    blank = table.loc[BLANK]
    assert blank["status"] == "no_label" and blank["n_lines"] == 0
    assert all(blank[t] == "" for t in DWC_TERMS)
    assert BROKEN not in table.index, "a sheet that does not decode has no result row"
    failures = pd.read_parquet(run_dir / "ocr" / "failures.parquet")
    assert list(failures["item_id"]) == [BROKEN] and list(failures["reason"]) == ["decode_error"]
    occ = pd.read_csv(run_dir / "ocr" / "occurrences.csv", dtype=str, keep_default_na=False)
    assert BROKEN not in set(occ["gbifID"]) and BLANK in set(occ["gbifID"])


def test_resumed_shard_keeps_its_results(run4, monkeypatch):
    run_dir, _, cfg, _ = run4
    before = pd.read_parquet(run_dir / "ocr" / "results.parquet")
    (run_dir / "ocr" / "results.parquet").unlink()

    def no_reading(*args, **kwargs):
        raise AssertionError("a journaled sheet was read again")

    monkeypatch.setattr("herbproc.ocr.reader.LabelReader.read_many", no_reading)
    from herbproc.ocr.stage import finalize, run_shard

    result = run_shard(cfg, Shard("ocr", 0, 1, str(run_dir)))
    assert result.skipped == 6 and result.done == 0
    finalize(cfg)
    after = pd.read_parquet(run_dir / "ocr" / "results.parquet")
    pd.testing.assert_frame_equal(
        before.drop(columns=["lines", "labels"]), after.drop(columns=["lines", "labels"])
    )


def test_report_section(run4, tmp_path):
    from herbproc.ocr.stage import report_section

    page = report_section(run4[2], tmp_path)
    assert "Character error rate" in page and "ocr_accuracy.png" in page
    assert (tmp_path / "ocr_accuracy.png").stat().st_size > 1000
    shown = sorted(tmp_path.glob("ocr_*.png"))
    assert len(shown) >= 2, "label crops of the sample sheets"


def test_prior_decides_where_the_text_is_ambiguous(tmp_path):
    run_dir, base, world = synthetic_run(
        tmp_path / "one", species=1, sheets_per_species=1, handwriting_share=0.0
    )
    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    gid = str(manifest["gbifID"].iloc[0])
    parsed = parse_name(str(manifest["scientificName"].iloc[0]))
    # two names one letter away from the label's, in the same way: the text cannot tell them apart
    twin_a = f"{parsed.genus} {parsed.specific_epithet}a"
    twin_b = f"{parsed.genus} {parsed.specific_epithet}o"
    names = tmp_path / "names.txt"
    names.write_text(f"{twin_a}\n{twin_b}\nQuercus alba L.\n")
    answers = {}
    for favoured, other in ((twin_a, twin_b), (twin_b, twin_a)):
        copy = tmp_path / f"run_{favoured.split()[-1]}"
        shutil.copytree(run_dir, copy)
        preds = write_predictions(
            copy / "predict" / "predictions.parquet", [(gid, [favoured, other], [0.9, 0.05])]
        )
        assert preds.exists()
        cfg = compose(
            ["stage=ocr", f"run_dir={copy}", "shards=1", f"ocr.names_file={names}", "ocr.threads=2"]
        )
        execute_shard(cfg, 0)
        row = pd.read_parquet(copy / "ocr" / "results.parquet").iloc[0]
        assert row["prior_used"]
        answers[favoured] = (row["scientificName"], row["taxon_ocr"], row["scientificName_confidence"])
        assert row["taxon_ocr_confidence"] < 0.6, "the text alone is a coin toss between the twins"
    assert answers[twin_a][0] == twin_a and answers[twin_b][0] == twin_b, answers
    assert answers[twin_a][1] == answers[twin_b][1], "the text alone gives the same answer both times"
    assert min(answers[twin_a][2], answers[twin_b][2]) > 0.8


def test_configuration_errors(tmp_path):
    base = [f"run_dir={tmp_path}"]
    with pytest.raises(ConfigError, match="ocr.engine"):
        compose(["stage=ocr", *base, "ocr.engine=abbyy"])
    with pytest.raises(ConfigError, match="ocr.names_file"):
        compose(["stage=ocr", *base, f"ocr.names_file={tmp_path / 'none.txt'}"])
    with pytest.raises(ConfigError, match="needs a checkpoint"):
        compose(["stage=ocr", *base, "ocr.engine=trocr"])
    with pytest.raises(ConfigError, match="ocr.trocr.printed=.*not found"):
        compose(["stage=ocr", *base, "ocr.engine=trocr", f"ocr.trocr.printed={tmp_path / 'model'}"])
    with pytest.raises(ConfigError, match="ocr.crop_pads"):
        compose(["stage=ocr", *base, "ocr.crop_pads=[]"])
    with pytest.raises(ConfigError, match="ocr.region_kinds"):
        compose(["stage=ocr", *base, "ocr.region_kinds=[label,plant]"])
    with pytest.raises(ConfigError, match="unknown key 'ocr.engines'"):
        compose(["stage=ocr", *base, "ocr.engines=ppocr"])
    bad = tmp_path / "bad.parquet"
    pd.DataFrame({"gbifID": ["1"], "names": [["a"]]}).to_parquet(bad)
    with pytest.raises(ConfigError, match="lacks column.*topk_names"):
        compose(["stage=ocr", *base, f"ocr.predictions={bad}"])
    over = tmp_path / "over.parquet"
    write_predictions(over, [("1", ["Carex crinita", "Carex lurida"], [0.9, 0.5])])
    with pytest.raises(ConfigError, match="sum to at most 1"):
        compose(["stage=ocr", *base, f"ocr.predictions={over}"])
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(ConfigError, match="has no names"):
        compose(["stage=ocr", *base, f"ocr.names_file={empty}"])
    with pytest.raises(ConfigError, match="ocr.collectors_file.*no such file"):
        compose(["stage=ocr", *base, f"ocr.collectors_file={tmp_path / 'none.txt'}"])
    with pytest.raises(ConfigError, match="no collector in it"):
        compose(["stage=ocr", *base, f"ocr.collectors_file={empty}"])
    with pytest.raises(ConfigError, match="ocr.record_collectors"):
        compose(["stage=ocr", *base, "ocr.record_collectors=maybe"])
    # through the launcher: one line, exit 2, nothing written
    proc = run_cli("launch", "stage=ocr", f"run_dir={tmp_path / 'r'}", "ocr.min_line_height=4", timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "ocr.min_line_height" in proc.stderr and not (tmp_path / "r" / "ocr").exists()


def test_missing_inputs_fail_the_shard(tmp_path):
    from herbproc.ocr.stage import run_shard
    from herbproc.shard import ShardError

    cfg = compose(["stage=ocr", f"run_dir={tmp_path}"])
    with pytest.raises(ShardError, match="run stage=ingest first"):
        run_shard(cfg, Shard("ocr", 0, 1, str(tmp_path)))


def test_reuses_the_mask_stages_detections(tmp_path, monkeypatch):
    run_dir, base, _ = synthetic_run(
        tmp_path, species=2, sheets_per_species=1, width=1000, handwriting_share=0.0
    )
    execute_shard(compose(["stage=mask", *base, "mask.threads=2"]), 0)
    calls = []
    import herbproc.ocr.reader as reader_module

    real_detect = reader_module.detect
    monkeypatch.setattr(reader_module, "detect", lambda *a, **k: calls.append(1) or real_detect(*a, **k))
    execute_shard(compose(["stage=ocr", *base, "ocr.threads=2"]), 0)
    assert calls == [], "the mask stage's detections were read from the store"
    reused = pd.read_parquet(run_dir / "ocr" / "results.parquet")
    assert (reused["status"] == "ok").all() and (reused["scientificName"] != "").all()
    again = tmp_path / "again"
    shutil.copytree(run_dir, again, ignore=shutil.ignore_patterns("ocr", "state"))
    shutil.copytree(run_dir / "state", again / "state", ignore=shutil.ignore_patterns("ocr"))
    execute_shard(
        compose(["stage=ocr", f"run_dir={again}", "shards=1", "ocr.threads=2", "ocr.reuse_detections=false"]),
        0,
    )
    assert len(calls) == 2, "detected again when told not to reuse"
    fresh = pd.read_parquet(again / "ocr" / "results.parquet")
    assert list(fresh["scientificName"]) == list(reused["scientificName"])


@pytest.mark.parametrize(
    "text",
    ["", None, "{not json", "{}", '{"width": 10}', '{"width": 10, "height": 5, "scale": 1, "em": 3, "regions": 7, '
     '"lines": []}', '{"width": 10, "height": 5, "scale": 1, "em": 3, "regions": [], "lines": [], "refined": 3}'],
)
def test_stored_detections_that_cannot_be_read_are_detected_again(text):
    from herbproc.ocr.stage import stored_detections

    assert stored_detections(text, (5, 10, 3)) is None


def test_stored_detections_of_another_size_are_detected_again():
    from herbproc.ocr.stage import stored_detections
    from herbproc.sheet.detect import Detections

    saved = Detections(10, 5, 1.0, 3.0, refined=[(0, 0, 10, 5)]).dumps()
    assert stored_detections(saved, (5, 10, 3)).refined == [(0, 0, 10, 5)]
    assert stored_detections(saved, (6, 10, 3)) is None


def test_collectors_read_against_a_list_file(tmp_path):
    """At 600 px some collectors are read a letter off; the stage reads them against the list: what is written is
    the list's person wherever one fits, and each of those is the sheet's collector."""
    from herbproc.fields.collectors import CollectorIndex, people, person
    from herbproc.synthetic.names import COLLECTORS, DETERMINERS

    run_dir, base, _ = synthetic_run(tmp_path, width=600, species=3, handwriting_share=0.0)
    listed = tmp_path / "collectors.txt"
    listed.write_text("\n".join([*COLLECTORS, *DETERMINERS]) + "\n", encoding="utf-8")
    execute_shard(compose(["stage=ocr", *base, "ocr.threads=2", f"ocr.collectors_file={listed}"]), 0)
    index = CollectorIndex(listed.read_text().splitlines())
    truth = {p.stem: json.loads(p.read_text()) for p in (run_dir / "synth" / "truth").glob("*.json")}
    table = pd.read_parquet(run_dir / "ocr" / "results.parquet")
    fitted = 0
    for _, row in table.iterrows():
        for part in [p for p in row["recordedBy"].split(" | ") if p]:
            read = person(part)
            found = index.best(read) if read is not None else None
            if found is None:
                continue
            key = (read.given, read.surname)  # type: ignore[union-attr]
            assert key == (found[0].given, found[0].surname), (part, found)  # nothing left to set right
            own = {(p.given, p.surname) for p in people(truth[row["gbifID"]]["dwc"]["recordedBy"])}
            assert key in own, (part, own)  # one of the sheet's collectors
            fitted += 1
    assert fitted >= 4
    sources = table.loc[table["collector_source"] != "", "collector_source"].value_counts().to_dict()
    assert set(sources) <= {"list", "label+list"}
    assert json.loads((run_dir / "ocr" / "summary.json").read_text())["collector_source"] == sources


def test_collectors_from_the_records(tmp_path):
    from herbproc.ocr.stage import record_collectors
    from herbproc.paths import RunPaths

    manifest = RunPaths(tmp_path).manifest
    manifest.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"gbifID": ["1", "2", "3", "4"],
                  "recordedBy": ["Lisa A. Standley", "Lisa A. Standley | Greg Palermo", None, "s.n."]}
                 ).to_parquet(manifest)  # fmt: skip
    have = ["gbifID", "recordedBy"]
    on = compose(["stage=ocr", f"run_dir={tmp_path}", "ocr.record_collectors=true"])
    index = record_collectors(on, have)
    assert index is not None and sorted(p.text for p in index.people) == ["Greg Palermo", "Lisa A. Standley"]
    assert record_collectors(compose(["stage=ocr", f"run_dir={tmp_path}"]), have) is None  # off by default
    assert record_collectors(on, ["gbifID"]) is None  # no recordedBy column
    listed = tmp_path / "collectors.txt"
    listed.write_text("M. L. Fernald\n", encoding="utf-8")
    with_file = compose(["stage=ocr", f"run_dir={tmp_path}", "ocr.record_collectors=true",
                         f"ocr.collectors_file={listed}"])  # fmt: skip
    assert record_collectors(with_file, have) is None  # the file wins: the reader loads it


def test_collectors_from_a_real_gbif_downloads_records(tmp_path, fixtures_dir):
    """The real download's recordedBy values (people, and iNaturalist user names that are nobody's name) as the
    list: its people, each once, and no user name."""
    from herbproc.gbif.stage import ingest, write_outputs
    from herbproc.ocr.stage import record_collectors

    run_dir = tmp_path / "run"
    src = fixtures_dir / "gbif_dwca_real.zip"
    cfg = compose(
        ["stage=ingest", f"run_dir={run_dir}", f"input={src}", "ingest.basis_of_record=[HUMAN_OBSERVATION]"]
    )
    write_outputs(cfg, ingest(cfg))
    manifest = pd.read_parquet(run_dir / "manifest.parquet", columns=["recordedBy"])
    index = record_collectors(compose(["stage=ocr", f"run_dir={run_dir}", "ocr.record_collectors=true"]),
                              ["recordedBy"])  # fmt: skip
    assert index is not None
    listed = {p.text for p in index.people}
    given = set(manifest["recordedBy"])
    assert listed <= given and len(listed) == len(index.people) >= 10
    handles = {v for v in given if re.fullmatch(r"[a-z0-9_]+", v)}  # iNaturalist logins: "fred201", "ryjbass"
    assert handles and not listed & handles


def test_the_reading_against_the_records_own_values(tmp_path):
    """A transcribed download: the records hold what their labels say. The OCR agrees with most of it; a record
    whose collector was typed wrong is a disagreement, with both values; a record that names only a genus is not
    compared."""
    from herbproc.ocr.agreement import COLUMNS

    run_dir, base, _ = synthetic_run(tmp_path, width=1000, species=2, handwriting_share=0.0)
    truth = {p.stem: json.loads(p.read_text()) for p in (run_dir / "synth" / "truth").glob("*.json")}
    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    ids = list(manifest["gbifID"].astype(str))
    for term in ("recordedBy", "eventDate", "countryCode", "stateProvince", "county", "catalogNumber"):
        manifest[term] = [truth[g]["dwc"].get(term, "") for g in ids]
    manifest.loc[0, "recordedBy"] = "Zzyzx, Q."  # typed wrong in the database
    manifest.loc[1, "scientificName"] = "Carex L."  # a record kept without a name: its genus only
    manifest.to_parquet(run_dir / "manifest.parquet", index=False)
    execute_shard(compose(["stage=ocr", *base, "ocr.threads=2"]), 0)
    summary = json.loads((run_dir / "ocr" / "summary.json").read_text())["agreement"]
    assert summary["scientificName"]["compared"] == len(ids) - 1  # not the genus-only record
    assert summary["scientificName"]["rate"] == 1.0
    assert summary["recordedBy"]["compared"] >= len(ids) - 1
    assert summary["recordedBy"]["agree"] == summary["recordedBy"]["compared"] - 1
    assert summary["country"]["rate"] == 1.0 and summary["stateProvince"]["rate"] == 1.0
    for counts in summary.values():
        assert 0 < counts["compared"] <= len(ids)
        assert counts["rate"] == round(counts["agree"] / counts["compared"], 4)
    rows = pd.read_csv(run_dir / "ocr" / "disagreements.csv", dtype=str, keep_default_na=False)
    assert tuple(rows.columns) == COLUMNS
    typed = rows[(rows["gbifID"] == ids[0]) & (rows["term"] == "recordedBy")]
    assert len(typed) == 1 and typed.iloc[0]["record"] == "Zzyzx, Q."
    assert typed.iloc[0]["read"] and float(typed.iloc[0]["confidence"]) > 0
    assert len(rows) == sum(c["compared"] - c["agree"] for c in summary.values())
    from herbproc.ocr.stage import report_section

    page = report_section(compose(["stage=ocr", *base]), tmp_path / "report")
    agreed = summary["recordedBy"]
    assert "Against the records' own values" in page and "disagreements.csv" in page
    assert f"<td>recordedBy</td><td>{agreed['compared']}</td><td>{agreed['agree']}</td>" in page
    assert f"<td>{ids[0]}</td><td>recordedBy</td><td>Zzyzx, Q.</td>" in page  # the first disagreements shown
