"""The Darwin Core Archive of the synthetic world: GBIF's layout, readable through meta.xml, same bytes twice."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from herbproc.synth import OCCURRENCE_COLUMNS, make_world, write_dwca

NS = {"d": "http://rs.tdwg.org/dwc/text/"}
SETTINGS = {"species": 3, "sheets_per_species": 4, "distractors": True}


def read_table(folder: Path, node: ET.Element) -> pd.DataFrame:
    """A core or extension table read the way a DwC-A reader must: by meta.xml's indices and term URIs."""
    location = node.find("d:files/d:location", NS).text
    assert node.get("fieldsTerminatedBy") == "\\t" and node.get("ignoreHeaderLines") == "1"
    df = pd.read_csv(
        folder / location,
        sep="\t",
        dtype=str,
        keep_default_na=False,
        quoting=csv.QUOTE_NONE,
        encoding="utf-8",
    )
    out = {}
    for f in node.findall("d:field", NS):
        term = f.get("term").rsplit("/", 1)[1]
        out[term] = df.iloc[:, int(f.get("index"))]
    return pd.DataFrame(out)


def test_archive_parses_through_meta_xml_and_matches_the_records(tmp_path):
    world = make_world(SETTINGS, seed=4)
    paths = write_dwca(world, tmp_path)
    assert paths.folder == tmp_path / "dwca" and paths.zip == tmp_path / "dwca.zip"
    root = ET.parse(paths.folder / "meta.xml").getroot()
    core = root.find("d:core", NS)
    ext = root.find("d:extension", NS)
    assert core.get("rowType") == "http://rs.tdwg.org/dwc/terms/Occurrence"
    assert ext.get("rowType") == "http://rs.gbif.org/terms/1.0/Multimedia"
    assert core.find("d:id", NS).get("index") == "0" and ext.find("d:coreid", NS).get("index") == "0"
    terms = {f.get("term") for f in core.findall("d:field", NS)}
    assert "http://rs.gbif.org/terms/1.0/gbifID" in terms and "http://purl.org/dc/terms/license" in terms
    assert "http://rs.tdwg.org/dwc/terms/reproductiveCondition" in terms

    occ = read_table(paths.folder, core)
    media = read_table(paths.folder, ext)
    records = world.records()
    own = occ[occ["basisOfRecord"] == "PRESERVED_SPECIMEN"].set_index("gbifID")
    for r in records:
        row = own.loc[r["gbifID"]]
        for col in OCCURRENCE_COLUMNS:
            if col != "gbifID":
                assert row[col] == r[col], col
    assert len(occ) == len(world.occurrence_rows()) > len(records)
    still = media[media["type"] == "StillImage"].set_index("gbifID")
    for r in records:
        m = still.loc[r["gbifID"]]
        assert m["identifier"] == f"http://127.0.0.1:8765/images/{r['gbifID']}.jpg" == r["identifier"]
        assert m["format"] == "image/jpeg" and m["license"].startswith("http://creativecommons.org/")
        assert m["rightsHolder"] == r["rightsHolder"] and m["creator"]
    assert set(media["gbifID"]) <= set(occ["gbifID"])
    assert (media["type"] == "Sound").sum() >= 1


def test_zip_holds_the_folder_and_is_byte_identical_for_the_same_world(tmp_path):
    a = write_dwca(make_world(SETTINGS, seed=4), tmp_path / "a")
    b = write_dwca(make_world(SETTINGS, seed=4), tmp_path / "b")
    assert a.zip.read_bytes() == b.zip.read_bytes()
    with zipfile.ZipFile(a.zip) as zf:
        assert sorted(zf.namelist()) == sorted(p.name for p in a.folder.iterdir())
        for name in zf.namelist():
            assert zf.read(name) == (a.folder / name).read_bytes()
    c = write_dwca(make_world(SETTINGS, seed=5), tmp_path / "c")
    assert c.zip.read_bytes() != a.zip.read_bytes()


def test_base_url_override_and_rewrite_replaces_the_old_archive(tmp_path):
    world = make_world(SETTINGS, seed=4)
    write_dwca(world, tmp_path)
    paths = write_dwca(world, tmp_path, base_url="http://example.org:9000/")
    text = (paths.folder / "multimedia.txt").read_text()
    assert "http://example.org:9000/images/" in text and "127.0.0.1:8765" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dwca", "dwca.zip"], "no temporary leftovers"


def test_conventions_match_a_real_gbif_download(fixtures_dir, tmp_path):
    real_zip = fixtures_dir / "gbif_dwca_real.zip"
    if not real_zip.exists():
        pytest.skip(f"{real_zip} not found")
    with zipfile.ZipFile(real_zip) as zf:
        real = ET.fromstring(zf.read("meta.xml"))
        real_header = zf.read("multimedia.txt").decode("utf-8").splitlines()[0].split("\t")
    ours = ET.parse(write_dwca(make_world(SETTINGS, seed=1), tmp_path).folder / "meta.xml").getroot()
    keys = (
        "encoding",
        "fieldsTerminatedBy",
        "linesTerminatedBy",
        "fieldsEnclosedBy",
        "ignoreHeaderLines",
        "rowType",
    )
    assert {k: real.find("d:core", NS).get(k) for k in keys} == {
        k: ours.find("d:core", NS).get(k) for k in keys
    }
    real_media = next(e for e in real.findall("d:extension", NS) if e.get("rowType").endswith("Multimedia"))
    our_media = ours.find("d:extension", NS)
    assert [f.get("term") for f in real_media.findall("d:field", NS)] == [
        f.get("term") for f in our_media.findall("d:field", NS)
    ]
    ours_header = (tmp_path / "dwca" / "multimedia.txt").read_text().splitlines()[0].split("\t")
    assert ours_header == real_header
    real_terms = {
        f.get("term").rsplit("/", 1)[1]: f.get("term") for f in real.find("d:core", NS).findall("d:field", NS)
    }
    for f in ours.find("d:core", NS).findall("d:field", NS):
        name = f.get("term").rsplit("/", 1)[1]
        if name in real_terms:
            assert f.get("term") == real_terms[name], name


def test_a_value_with_a_tab_is_refused_and_nothing_is_written(tmp_path, monkeypatch):
    world = make_world(SETTINGS, seed=4)
    rows, media = world.tables()
    rows[0] = {**rows[0], "locality": "Concord\tswamp"}
    monkeypatch.setattr(world, "tables", lambda: (rows, media))
    with pytest.raises(ValueError, match="tab or a line break"):
        write_dwca(world, tmp_path)
    assert not (tmp_path / "dwca").exists() and not (tmp_path / "dwca.zip").exists()
