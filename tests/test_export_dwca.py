"""stage=export format=dwca: the Darwin Core Archive (core + multimedia + MeasurementOrFact, meta.xml, eml.xml),
its rules (occurrenceID, export.prefer, machine-made values flagged), the round trip through ingest and
python-dwca-reader, and bad input (no OCR, awkward text, an empty run, bad settings)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli
from dwca_roundtrip import export, export_and_check, read_with_dwca_reader
from gbif_archive import record, write_dwca

from herbproc.config import ConfigError, compose
from herbproc.export.dwca import (
    AUDUBON,
    DATE_GROUP,
    LICENSES,
    MEASUREMENT,
    MULTIMEDIA,
    OCCURRENCE,
    TAXON_GROUP,
)
from herbproc.fields import DWC_TERMS
from herbproc.gbif.stage import ingest, write_outputs
from herbproc.ocr.results import results_table
from herbproc.ocr.results import write_outputs as write_ocr
from herbproc.paths import is_safe_id

TEXT_NS = "{http://rs.tdwg.org/dwc/text/}"
ODD = {  # values a tab-separated file has to escape, and text that is not ASCII
    "locality": 'near "Big" Pond,\tin the\nswamp\r\nby the road\u2028(line separator)\x85 and\x0bon',
    "recordedBy": "Zoë Łukasiewicz | Ñandú Pérez",
    "dynamicProperties": "not JSON: kept",
}


def _media(gid: str) -> dict:
    return {"gbifID": gid, "type": "StillImage", "format": "image/jpeg",
            "identifier": f"https://images.example.org/{gid}.jpg", "license": "CC_BY_4_0",
            "rightsHolder": "Test Herbarium"}  # fmt: skip


def hand_built_run(tmp: Path) -> tuple[Path, pd.DataFrame]:
    """Six records ingested from a small archive, then given the values an archive cannot hold unescaped."""
    recs = [
        record("101"),  # has its own occurrenceID
        record("102", occurrenceID="", catalogNumber="GH 0042/7"),  # triplet from its own terms
        record("103", occurrenceID="", institutionCode="", specificEpithet="rubra"),  # gbifID urn
        record("104", specificEpithet="rubra", recordedBy=""),  # the OCR fills recordedBy
        record("105", occurrenceID="", catalogNumber=""),  # no catalogue number either: gbifID urn
        record("106", occurrenceID="urn:catalog:TEST:101"),  # the same id as 101's: a new one
    ]
    recs[5]["occurrenceID"] = recs[0]["occurrenceID"]
    src = write_dwca(tmp / "in.zip", recs, [_media(r["gbifID"]) for r in recs])
    run_dir = tmp / "run"
    cfg = compose(["stage=ingest", f"run_dir={run_dir}", f"input={src}"])
    write_outputs(cfg, ingest(cfg))
    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    i = manifest.index[manifest["gbifID"] == "101"][0]
    for term, value in ODD.items():
        manifest.loc[i, term] = value
    j = manifest.index[manifest["gbifID"] == "102"][0]
    manifest.loc[j, "dynamicProperties"] = '{"preparations": "sheet"}'
    manifest.loc[manifest["gbifID"] == "104", "reproductiveCondition"] = "flowering"
    manifest = manifest.fillna("")
    manifest.to_parquet(run_dir / "manifest.parquet", index=False)
    return run_dir, manifest


# what the OCR "read": (value, confidence) per term
READ = {
    "101": {"scientificName": ("Carex crinita Lam.", 0.91), "genus": ("Carex", 0.91),
            "specificEpithet": ("crinita", 0.91), "recordedBy": ("M. L. Fernald", 0.8),
            "eventDate": ("1912-06-12", 0.9), "verbatimEventDate": ("12 June 1912", 0.9),
            "identifiedBy": ("A. Gray", 0.3)},
    "104": {"recordedBy": ("Ñúñez, J. \"Pepe\"", 0.7), "locality": ("N of\tthe bridge", 0.6),
            "scientificName": ("Quercus velutina Lam.", 0.95), "genus": ("Quercus", 0.95),
            "specificEpithet": ("velutina", 0.95), "identificationQualifier": ("cf.", 0.95)},
    "103": {"scientificName": ("Quercus rubra L.", 0.9), "genus": ("Quercus", 0.9),
            "specificEpithet": ("rubra", 0.9)},  # what the record says: nothing to flag
    "105": {},
}  # fmt: skip


def add_ocr(run_dir: Path) -> None:
    records = []
    for gid, fields in READ.items():
        records.append((gid, {
            "status": "ok" if fields else "no_label", "engine": "ppocr", "width": 500, "height": 750,
            "fields": {t: v for t, (v, _) in fields.items()},
            "confidence": {t: c for t, (_, c) in fields.items()},
            "prior_used": gid == "101", "taxon_source": "label+image" if gid == "101" else "label",
            "identificationRemarks": "label name partly legible (p=0.91)" if gid == "101" else "",
            "collector_source": "list" if gid == "101" else "",  # found by a name of the collectors' list
        }))  # fmt: skip
    write_ocr(run_dir / "ocr", results_table(records), remarks=True)
    (run_dir / "phenology").mkdir(exist_ok=True)
    pd.DataFrame({"gbifID": ["101", "102", "104"], "state": ["flowers", "fruits", "flowers; fruits"],
                  "confidence": [0.93, 0.41, 0.88], "abstain": [False, True, False]}).to_parquet(
        run_dir / "phenology" / "predictions.parquet", index=False)  # fmt: skip
    (run_dir / "predict").mkdir(exist_ok=True)
    pd.DataFrame({"gbifID": ["101", "103"], "topk_names": [["Carex crinita", "Carex lurida"], ["Quercus rubra"]],
                  "topk_probs": [[0.8, 0.15], [0.6]]}).to_parquet(run_dir / "predict" / "predictions.parquet")  # fmt: skip


@pytest.fixture
def run(tmp_path):
    run_dir, manifest = hand_built_run(tmp_path)
    add_ocr(run_dir)
    return run_dir, manifest


def core_of(run_dir: Path) -> pd.DataFrame:
    return (
        read_with_dwca_reader(run_dir / "export" / "dwca.zip")[OCCURRENCE]
        .rename(columns=lambda c: c.rsplit("/", 1)[-1])
        .set_index("gbifID")
    )


def test_the_measurements_say_which_confidences_are_probabilities(run):
    from herbproc.paths import RunPaths

    run_dir, _ = run
    saved = RunPaths(run_dir).config_dir
    saved.mkdir(parents=True, exist_ok=True)
    (saved / "ocr.yaml").write_text("ocr:\n  field_calibration: default\n  taxon_calibration: false\n")
    export(run_dir, "export.confidences=true")
    mof = read_with_dwca_reader(run_dir / "export" / "dwca.zip")[MEASUREMENT]
    mof = mof.rename(columns=lambda c: c.rsplit("/", 1)[-1])
    kinds = mof["measurementType"].str.removeprefix("OCR confidence of ")
    method = dict(zip(kinds, mof["measurementMethod"], strict=True))
    collectors = set(mof.loc[kinds == "recordedBy", "measurementMethod"])
    assert any("right on gold-transcribed real labels" in m for m in collectors)  # 104's, read by the rules
    assert any("list of collectors" in m and "not a probability" in m for m in collectors)  # 101's, by the list
    assert "right on gold-transcribed real labels" in method["verbatimEventDate"]  # follows eventDate
    assert "not a probability" in method["identifiedBy"]  # no gold measures it
    assert "not calibrated" in method["scientificName"]


def test_round_trip_and_second_reader(run, tmp_path):
    run_dir, manifest = run
    report = export_and_check(run_dir, tmp_path / "rt", "export.confidences=true")
    assert report["core"] == report["reingested"] == len(manifest) == 6
    assert report["multimedia"] == 6 and report["measurements"] > 0 and report["untouched_values"] > 50
    core = core_of(run_dir)
    for term, value in ODD.items():
        if term != "dynamicProperties":
            assert core.at["101", term] == value.strip(), f"{term} came back changed"
    text = (run_dir / "export" / "dwca" / "occurrence.txt").read_bytes()
    assert "Łukasiewicz".encode() in text, "UTF-8 on disk"
    again = pd.read_parquet(tmp_path / "rt" / "reingest" / "manifest.parquet").set_index("gbifID")
    assert again.at["101", "locality"] == ODD["locality"].strip()


def test_occurrence_id_rule(run):
    run_dir, manifest = run
    export(run_dir)
    core = core_of(run_dir)
    own = manifest.set_index("gbifID")["occurrenceID"]
    assert core.at["101", "occurrenceID"] == own["101"], "the record's own"
    assert core.at["102", "occurrenceID"] == "urn:catalog:TEST::GH%200042%2F7", "triplet, escaped"
    assert core.at["103", "occurrenceID"] == "urn:herbproc:gbifID:103", "no institutionCode"
    assert core.at["105", "occurrenceID"] == "urn:herbproc:gbifID:105", "no catalogNumber"
    assert core.at["106", "occurrenceID"] == "urn:catalog:TEST::C106", (
        "101's id again: minted from its triplet"
    )
    assert core["occurrenceID"].is_unique
    export(run_dir)  # stable: the same ids again
    assert core_of(run_dir)["occurrenceID"].equals(core["occurrenceID"])


def test_prefer_record_and_transcription(run):
    run_dir, manifest = run
    m = manifest.set_index("gbifID")
    export(run_dir, "export.prefer=record")
    rec = core_of(run_dir)
    export(run_dir, "export.prefer=transcription")
    tx = core_of(run_dir)
    # 101 has a name of its own: kept with prefer=record, the label's (whole taxon group) with transcription
    assert rec.at["101", "scientificName"] == m.at["101", "scientificName"]
    assert rec.at["101", "genus"] == m.at["101", "genus"]
    assert tx.at["101", "scientificName"] == READ["101"]["scientificName"][0]
    assert tx.at["101", "genus"] == "Carex" and tx.at["101", "species"] == "Carex crinita"
    assert tx.at["101", "family"] == "" and tx.at["101", "taxonRank"] == "", "not read: not the old taxon's"
    assert tx.at["104", "family"] == m.at["104", "family"] != "", "the same genus read: the family holds"
    assert (
        tx.at["104", "species"] == "Quercus velutina"
        and tx.at["104", "scientificName"] == "Quercus velutina Lam."
    )
    assert tx.at["103", "scientificName"] == m.at["103", "scientificName"], "the label agrees with the record"
    # the label's "Quercus cf. velutina": its qualifier goes with its name, never onto the record's
    assert tx.at["104", "identificationQualifier"] == "cf." and rec.at["104", "identificationQualifier"] == ""
    assert (tx.at["101", "eventDate"], tx.at["101", "year"], tx.at["101", "month"], tx.at["101", "day"]) == (
        "1912-06-12", "1912", "6", "12")  # fmt: skip
    assert (
        rec.at["101", "eventDate"] == m.at["101", "eventDate"]
        and rec.at["101", "year"] == m.at["101", "year"]
    )
    # a gap in the record is filled either way; a term only the label has is taken either way
    assert rec.at["104", "recordedBy"] == tx.at["104", "recordedBy"] == READ["104"]["recordedBy"][0]
    assert rec.at["101", "verbatimEventDate"] == "12 June 1912"
    # 105: nothing read, nothing changed
    for term in ("scientificName", "recordedBy", "locality"):
        assert rec.at["105", term] == tx.at["105", term] == m.at["105", term]
    # the phenology: the record's own wins with prefer=record, the model's (when not abstaining) otherwise
    assert rec.at["104", "reproductiveCondition"] == "flowering"
    assert tx.at["104", "reproductiveCondition"] == "flowers; fruits (machine-predicted, p=0.88)"
    assert rec.at["101", "reproductiveCondition"] == "flowers (machine-predicted, p=0.93)", "a gap: filled"
    assert rec.at["102", "reproductiveCondition"] == tx.at["102", "reproductiveCondition"] == "", "abstained"


def test_min_confidence_leaves_unsure_values_out(run):
    run_dir, _ = run
    export(run_dir, "export.min_confidence=0.75")
    core = core_of(run_dir)
    assert core.at["104", "recordedBy"] == "", "read at 0.7: below 0.75"
    assert core.at["101", "verbatimEventDate"] == "12 June 1912", "read at 0.9"
    assert core.at["101", "identifiedBy"] == "", "read at 0.3"


def test_machine_values_are_flagged(run):
    run_dir, manifest = run
    export(run_dir, "export.prefer=transcription")
    core = core_of(run_dir)
    m = manifest.set_index("gbifID")

    def lead(term: str) -> str:
        return "scientificName" if term in TAXON_GROUP else "eventDate" if term in DATE_GROUP else term

    for gid, row in core.iterrows():
        props = json.loads(row["dynamicProperties"]) if row["dynamicProperties"] else {}
        ours = props.get("herbproc", {})
        got = {t: v for t, (v, c) in READ.get(gid, {}).items()}
        read = {
            t: v for t, v in got.items() if got.get(lead(t)) != m.get(lead(t), {}).get(gid, "")
        }  # else: nothing new
        for term, value in read.items():
            assert row[term] == value
            assert ours["transcribed"][term]["engine"] == "ppocr"
            assert ours["transcribed"][term]["confidence"] == pytest.approx(READ[gid][term][1], abs=1e-4)
        assert set(ours.get("transcribed", {})) == set(read)
        if read:
            assert "not verified by a curator" in row["occurrenceRemarks"] + row["identificationRemarks"]
    assert "scientificName" in core.at["101", "identificationRemarks"]
    assert "label name partly legible" in core.at["101", "identificationRemarks"], "the OCR's own remark"
    assert core.at["101", "occurrenceRemarks"].count("recordedBy") == 1
    assert json.loads(core.at["101", "dynamicProperties"])["herbproc"]["collectorSource"] == "list"
    assert "collectorSource" not in json.loads(core.at["104", "dynamicProperties"])["herbproc"]
    # the record's own dynamicProperties are kept beside herbproc's
    assert json.loads(core.at["101", "dynamicProperties"])["verbatimDynamicProperties"] == "not JSON: kept"
    assert json.loads(core.at["102", "dynamicProperties"]) == {"preparations": "sheet"}, (
        "nothing machine-made"
    )
    assert core.at["103", "dynamicProperties"] == "" and core.at["103", "occurrenceRemarks"] == ""
    props = json.loads(core.at["104", "dynamicProperties"])["herbproc"]
    assert props["reproductiveCondition"]["method"] == "machine-predicted"
    assert props["reproductiveCondition"]["probability"] == pytest.approx(0.88)


def test_extensions_and_descriptors(run):
    run_dir, manifest = run
    export(run_dir, "export.confidences=true", "export.license=CC0_1_0", "export.title=Sedges of the test",
           "export.creator=Ada Lovelace", "export.email=ada@example.org")  # fmt: skip
    tables = read_with_dwca_reader(run_dir / "export" / "dwca.zip")
    media = tables[MULTIMEDIA]
    assert len(media) == len(manifest)
    urls = dict(zip(media["_id"], media["http://purl.org/dc/terms/identifier"], strict=True))
    core = core_of(run_dir)
    for gid, row in core.iterrows():
        assert urls[row["occurrenceID"]] == f"https://images.example.org/{gid}.jpg"
    mof = tables[MEASUREMENT].rename(columns=lambda c: c.rsplit("/", 1)[-1])
    ids = core.reset_index().set_index("occurrenceID")["gbifID"]
    mof["gbifID"] = mof["_id"].map(ids)
    conf = mof[mof["measurementType"].str.startswith("OCR confidence of ")]
    expected = {(g, t, f"{c:.4f}") for g, f in READ.items() for t, (_, c) in f.items()}
    got = set(zip(conf["gbifID"], conf["measurementType"].str.removeprefix("OCR confidence of "),
                  conf["measurementValue"], strict=True))  # fmt: skip
    assert got == expected
    kinds = conf["measurementType"].str.removeprefix("OCR confidence of ")
    method = dict(zip(kinds, conf["measurementMethod"], strict=True))
    assert "not a probability" in method["recordedBy"]  # a run saved without ocr.field_calibration: rule scores
    assert "calibrated" in method["scientificName"]
    topk = mof[mof["measurementType"].str.startswith("image classifier")]
    assert sorted(zip(topk["gbifID"], topk["measurementValue"], topk["measurementAccuracy"], strict=True)) == [
        ("101", "Carex crinita", "0.8000"), ("101", "Carex lurida", "0.1500"), ("103", "Quercus rubra", "0.6000")]  # fmt: skip
    pheno = mof[mof["measurementType"] == "reproductive condition (machine-predicted)"]
    assert sorted(pheno["gbifID"]) == ["101", "102", "104"] and mof["measurementID"].is_unique
    with zipfile.ZipFile(run_dir / "export" / "dwca.zip") as z:
        assert sorted(z.namelist()) == sorted(
            ["meta.xml", "eml.xml", "occurrence.txt", "multimedia.txt", "measurementorfact.txt"]
        )
        meta = ET.fromstring(z.read("meta.xml"))
        eml = ET.fromstring(z.read("eml.xml"))
    assert meta.tag == f"{TEXT_NS}archive" and meta.get("metadata") == "eml.xml"
    row_types = [el.get("rowType") for el in meta]
    assert row_types == [OCCURRENCE, MULTIMEDIA, MEASUREMENT]
    for el in meta:
        terms = [f.get("term") for f in el.iter(f"{TEXT_NS}field")]
        assert all(t.startswith(("http://rs.tdwg.org/dwc/terms/", "http://purl.org/dc/terms/",
                                 "http://rs.gbif.org/terms/1.0/")) for t in terms)  # fmt: skip
        assert len(set(terms)) == len(terms)
    ds = eml.find("dataset")
    assert ds.findtext("title") == "Sedges of the test"
    assert ds.find("creator/individualName/surName").text == "Lovelace"
    assert ds.find("contact/electronicMailAddress").text == "ada@example.org"
    assert ds.find("intellectualRights/para/ulink").get("url") == LICENSES["CC0_1_0"][0]
    licence = "".join(ds.find("intellectualRights/para").itertext())
    assert licence == f"This work is licensed under a {LICENSES['CC0_1_0'][1]}."
    methods = " ".join(p.text for p in ds.iter("para"))
    import herbproc

    assert f"herbproc {herbproc.__version__}" in methods and "prefer=record" in methods
    assert set(core["license"]) == {LICENSES["CC0_1_0"][0]}


def test_export_before_ocr_is_records_only_with_a_note(tmp_path, caplog):
    run_dir, manifest = hand_built_run(tmp_path)
    with caplog.at_level("WARNING", logger="herbproc.export"):
        report = export_and_check(run_dir, tmp_path / "rt")
    assert report["core"] == report["reingested"] == len(manifest)
    assert any("no OCR output" in r.getMessage() for r in caplog.records)
    core = core_of(run_dir)
    m = manifest.set_index("gbifID")
    for term in ("scientificName", "recordedBy", "eventDate", "locality"):
        assert (core[term] == m.loc[core.index, term].str.strip()).all()
    with zipfile.ZipFile(run_dir / "export" / "dwca.zip") as z:
        assert "measurementorfact.txt" not in z.namelist()
        assert "no OCR output" in z.read("eml.xml").decode()


def test_empty_run_exits_2(tmp_path):
    nothing = run_cli("launch", "stage=export", "format=dwca", f"run_dir={tmp_path / 'none'}")
    assert nothing.returncode == 2
    line = nothing.stderr.strip().splitlines()
    assert len(line) == 1 and "nothing to export" in line[0] and "manifest.parquet" in line[0]
    run_dir, manifest = hand_built_run(tmp_path)
    manifest.iloc[0:0].to_parquet(run_dir / "manifest.parquet", index=False)
    empty = run_cli("launch", "stage=export", "format=dwca", f"run_dir={run_dir}")
    assert empty.returncode == 2 and empty.stderr.strip().endswith("has no records")
    assert len(empty.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ("export.prefer=newest", "export.prefer"),
        ("export.min_confidence=1.5", "export.min_confidence"),
        ("export.media=[original,original]", "export.media"),
        ("export.media=[masked]", "export.media"),
        ("export.media=[original,thumbnail]", "export.media"),
        ("export.media=[original,masked]", "export.media_base_url"),
        ("export.media_base_url=ftp://x.org", "export.media_base_url"),
        ("export.license=CC_BY_SA_4_0", "export.license"),
        ("export.media_extension=iiif", "export.media_extension"),
        ("export.language=", "export.language"),
        ("export.email=nobody", "export.email"),
        ("export.dataset_id=", "export.dataset_id"),
        ("format=darwin", "format"),
    ],
)
def test_bad_settings_name_the_key(tmp_path, override, key):
    run_dir, _ = hand_built_run(tmp_path)
    with pytest.raises(ConfigError) as e:
        compose(["stage=export", f"run_dir={run_dir}", "format=dwca", override])
    assert f"'{key}'" in str(e.value) and "\n" not in str(e.value)


def test_bad_setting_at_launch_is_one_line_and_exit_2(tmp_path):
    run_dir, _ = hand_built_run(tmp_path)
    proc = run_cli("launch", "stage=export", "format=dwca", f"run_dir={run_dir}", "export.prefer=newest")
    assert proc.returncode == 2 and not (run_dir / "export").exists()
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "'export.prefer'" in lines[0] and "record, transcription" in lines[0]


def test_masked_media_need_the_mask_stage(tmp_path):
    run_dir, _ = hand_built_run(tmp_path)
    with pytest.raises(ConfigError, match="mask stage has not finished"):
        compose(["stage=export", f"run_dir={run_dir}", "format=dwca", "export.media=[original,mask]",
                 "export.media_base_url=https://media.example.org/x"])  # fmt: skip


def test_refuses_to_replace_a_folder_it_did_not_write(run, tmp_path):
    run_dir, _ = run
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    cfg = compose(["stage=export", f"run_dir={run_dir}", "format=dwca", f"export.out={target}"])
    from herbproc.export.dwca import run_shard
    from herbproc.shard import Shard, ShardError

    with pytest.raises(ShardError, match="refusing to replace"):
        run_shard(cfg, Shard("export", 0, 1, str(run_dir)))
    assert (target / "notes.txt").read_text() == "keep me"
    shutil.rmtree(target)
    run_shard(cfg, Shard("export", 0, 1, str(run_dir)))
    run_shard(cfg, Shard("export", 0, 1, str(run_dir)))  # its own folder: replaced
    assert (tmp_path / "mine.zip").is_file() and (target / "meta.xml").is_file()


def test_every_transcribed_term_is_a_core_column():
    from herbproc.export.dwca import CORE_TERMS

    assert set(DWC_TERMS) <= set(CORE_TERMS)


def test_demo_world_round_trip(demo_run, tmp_path):
    """The demo world (synthetic GBIF archive, served sheets, real OCR), published and read back twice."""
    run_dir, proc = demo_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert (run_dir / "export" / "dwca.zip").is_file(), "the pipeline can end with the export"
    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    for prefer in ("record", "transcription"):
        report = export_and_check(
            run_dir, tmp_path / prefer, f"export.prefer={prefer}", "export.confidences=true"
        )
        assert report["core"] == report["reingested"] == len(manifest) == 9
        assert report["multimedia"] == len(manifest) and report["measurements"] > 0
    # prefer=transcription: every value the OCR published (and the record had differently) is the OCR's, flagged
    ocr = pd.read_csv(run_dir / "ocr" / "occurrences.csv", dtype=str, keep_default_na=False).set_index(
        "gbifID"
    )
    core = core_of(run_dir)
    m = manifest.set_index("gbifID")
    flagged = agreed = 0
    for gid, row in core.iterrows():
        ours = json.loads(row["dynamicProperties"] or "{}").get("herbproc", {})
        for term in ("recordedBy", "eventDate", "locality", "catalogNumber", "scientificName"):
            if not ocr.at[gid, term]:
                continue
            assert row[term] == ocr.at[gid, term]
            if ocr.at[gid, term] == m.at[gid, term]:  # the label says what the record says: nothing to flag
                assert term not in ours.get("transcribed", {})
                agreed += 1
            else:
                assert ours["transcribed"][term]["engine"] == "ppocr"
                flagged += 1
    assert flagged + agreed >= 2 * len(manifest), "the demo's printed labels are read"
    print(f"demo world, prefer=transcription: {flagged} values flagged, {agreed} agreeing with the record")
    # the masked copies and masks as files, served from export.media_base_url, after the original
    base = "https://media.example.org/sedges"
    report = export_and_check(run_dir, tmp_path / "media", "export.media=[original,masked,mask]",
                              f"export.media_base_url={base}")  # fmt: skip
    assert report["multimedia"] == 3 * len(manifest)
    media = read_with_dwca_reader(run_dir / "export" / "dwca.zip")[MULTIMEDIA]
    urls = media["http://purl.org/dc/terms/identifier"]
    served = sorted(u.removeprefix(f"{base}/") for u in urls if u.startswith(base))
    originals = set(manifest["identifier"])
    derived = media[urls.str.startswith(base)]
    assert set(derived["http://purl.org/dc/terms/source"]) == originals, (
        "each copy names the image it was made from"
    )
    on_disk = sorted(
        str(p.relative_to(run_dir / "export" / "dwca"))
        for p in (run_dir / "export" / "dwca" / "media").iterdir()
    )
    assert served == on_disk and len(on_disk) == 2 * len(manifest)
    for name in on_disk:
        import cv2

        img = cv2.imread(str(run_dir / "export" / "dwca" / name), cv2.IMREAD_UNCHANGED)
        assert img is not None and img.shape[0] > 0, name
    with zipfile.ZipFile(run_dir / "export" / "dwca.zip") as z:
        assert not any(n.startswith("media/") for n in z.namelist()), "media are served, not zipped"


def test_without_gbif_id_the_core_is_keyed_by_occurrence_id_alone(run, tmp_path):
    run_dir, manifest = run
    export(run_dir, "export.gbif_id=false")
    tables = read_with_dwca_reader(run_dir / "export" / "dwca.zip")
    core = tables[OCCURRENCE]
    assert "http://rs.gbif.org/terms/1.0/gbifID" not in core.columns and len(core) == len(manifest)
    cfg = compose(
        ["stage=ingest", f"run_dir={tmp_path / 'again'}", f"input={run_dir / 'export' / 'dwca.zip'}"]
    )
    result = ingest(cfg)
    again = result.manifest
    safe = sorted(i for i in core["_id"] if is_safe_id(i))
    assert sorted(again["gbifID"]) == safe, "ingest keys such an archive by its core id"
    dropped = result.drops.table()
    # an occurrenceID that cannot be a file name ("GH%200042%2F7") is refused as a record id (docs/safety.md)
    assert sorted(dropped.loc[dropped["reason"] == "unsafe_id", "gbifID"]) == sorted(set(core["_id"]) - set(safe))
    assert len(again) + len(dropped) == len(manifest), "every record kept with its image, or dropped with a reason"


@pytest.mark.parametrize(
    "override", ["export.gbif_id=maybe", "export.confidences=perhaps", "export.media=original"]
)
def test_wrong_types_name_the_key(tmp_path, override):
    run_dir, _ = hand_built_run(tmp_path)
    with pytest.raises(ConfigError) as e:
        compose(["stage=export", f"run_dir={run_dir}", "format=dwca", override])
    assert override.split("=")[0] in str(e.value) and "\n" not in str(e.value)


def test_metadata_text_is_escaped(run):
    run_dir, _ = run
    from herbproc.export.dwca import run_shard
    from herbproc.shard import Shard

    cfg = compose(["stage=export", f"run_dir={run_dir}", "format=dwca",
                   "export.organization='Herbier Ñandú & <Co>'"])  # fmt: skip
    title = 'Sedges & <Rushes> of "Zoë\'s" herbarium\x01\x1f'
    cfg.export.title = title  # characters the command line cannot carry
    run_shard(cfg, Shard("export", 0, 1, str(run_dir)))
    with zipfile.ZipFile(run_dir / "export" / "dwca.zip") as z:
        eml = ET.fromstring(z.read("eml.xml"))
    assert eml.find("dataset/title").text == 'Sedges & <Rushes> of "Zoë\'s" herbarium', (
        "control characters dropped"
    )
    assert eml.find("dataset/creator/organizationName").text == "Herbier Ñandú & <Co>"


def test_local_image_paths_are_exported_with_a_note(tmp_path, caplog):
    run_dir, manifest = hand_built_run(tmp_path)
    manifest.loc[manifest["gbifID"] == "105", "identifier"] = "file:///data/sheets/105.jpg"
    manifest.to_parquet(run_dir / "manifest.parquet", index=False)
    with caplog.at_level("WARNING", logger="herbproc.export"):
        export(run_dir)
    assert any("1 image URLs are file:// paths" in r.getMessage() for r in caplog.records)
    media = read_with_dwca_reader(run_dir / "export" / "dwca.zip")[MULTIMEDIA]
    assert "file:///data/sheets/105.jpg" in set(media["http://purl.org/dc/terms/identifier"])


def test_audubon_media_extension_round_trip(run, tmp_path):
    run_dir, manifest = run
    report = export_and_check(run_dir, tmp_path / "rt", "export.media_extension=audubon")
    assert report["multimedia"] == report["reingested"] == len(manifest)
    tables = read_with_dwca_reader(run_dir / "export" / "dwca.zip")
    assert MULTIMEDIA not in tables and AUDUBON in tables
    media = tables[AUDUBON]
    core = core_of(run_dir).reset_index().set_index("occurrenceID")
    m = manifest.set_index("gbifID")
    for _, row in media.iterrows():
        gid = core.at[row["_id"], "gbifID"]
        assert row["http://rs.tdwg.org/ac/terms/accessURI"] == m.at[gid, "identifier"]
        assert row["http://ns.adobe.com/xap/1.0/rights/WebStatement"] == m.at[gid, "license"]
        assert row["http://ns.adobe.com/xap/1.0/rights/Owner"] == m.at[gid, "rightsHolder"]
        assert row["http://purl.org/dc/elements/1.1/type"] == "StillImage"


def test_provenance_names_models_without_local_paths(run):
    run_dir, _ = run
    (run_dir / "phenology" / "summary.json").write_text(
        json.dumps(
            {
                "model_file": "/scratch/someone/run/phenology/model.pt",
                "threshold": {"threshold": 0.71},
                "target_accuracy": 0.9,
            }
        )  # fmt: skip
    )
    (run_dir / "config").mkdir(exist_ok=True)
    (run_dir / "config" / "ocr.yaml").write_text(
        "ocr:\n  engine: ensemble\n  min_confidence: 0.2\n  collectors_file: /scratch/someone/collectors.txt\n"
        "  places_as_printed: true\n"
    )
    export(run_dir)
    with zipfile.ZipFile(run_dir / "export" / "dwca.zip") as z:
        eml = z.read("eml.xml").decode()
        occurrences = z.read("occurrence.txt").decode()
    assert "/scratch" not in eml + occurrences
    methods = " ".join(ET.fromstring(eml).find("dataset/methods").itertext())
    assert '"model_file": "model.pt"' in methods and '"threshold": 0.71' in methods
    assert '"engine": "ensemble"' in methods and '"engines_used": ["ppocr"]' in methods
    assert '"collectors_file": "collectors.txt"' in methods  # the list the collectors were read against
    assert '"places_as_printed": true' in methods  # how the country column was written
    core = core_of(run_dir)
    assert (
        json.loads(core.at["101", "dynamicProperties"])["herbproc"]["reproductiveCondition"]["model"]
        == "model.pt"
    )


def test_a_record_without_basis_of_record_is_a_preserved_specimen(tmp_path):
    run_dir, manifest = hand_built_run(tmp_path)
    manifest.loc[manifest["gbifID"] == "103", "basisOfRecord"] = ""
    manifest.to_parquet(run_dir / "manifest.parquet", index=False)
    export(run_dir)
    assert core_of(run_dir).at["103", "basisOfRecord"] == "PreservedSpecimen"
    # ingest's default filter (basis_of_record=[PRESERVED_SPECIMEN]) reads Darwin Core's spelling as the same value
    cfg = compose(
        ["stage=ingest", f"run_dir={tmp_path / 'again'}", f"input={run_dir / 'export' / 'dwca.zip'}"]
    )
    again = ingest(cfg).manifest.set_index("gbifID")
    assert again.at["103", "basisOfRecord"] == "PreservedSpecimen" and len(again) == len(manifest)
