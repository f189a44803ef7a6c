"""stage=ingest on the real GBIF archive and on small synthetic ones: the manifest contract, filters, caps, split."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter

import pandas as pd
import pytest
from gbif_archive import OCC_TERMS, media_row, meta_xml, record, table_text, write_dwca

from herbproc.config import ConfigError, compose
from herbproc.gbif.regions import normalise_region
from herbproc.gbif.split import split_counts
from herbproc.gbif.stage import ingest, run_shard, write_outputs
from herbproc.gbif.tables import IngestError
from herbproc.shard import Shard

CONTRACT = [
    "gbifID",
    "identifier",
    "format",
    "license",
    "rightsHolder",
    "label",
    "label_name",
    "split",
    "row",
]


def cfg_for(tmp_path, input_path, *extra):
    return compose(["stage=ingest", f"run_dir={tmp_path / 'run'}", f"input={input_path}", *extra])


def read_real(zip_path):
    """The fixture's occurrences and multimedia, parsed independently of herbproc (csv module, tab, no quotes)."""
    with zipfile.ZipFile(zip_path) as z:
        occ = list(
            csv.DictReader(
                io.TextIOWrapper(z.open("occurrence.txt"), "utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE
            )
        )
        mm = list(
            csv.DictReader(
                io.TextIOWrapper(z.open("multimedia.txt"), "utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE
            )
        )
    return occ, mm


# --------------------------------------------------------------------------------------------- real archive


def test_real_archive_default_filter_keeps_no_specimen_image(tmp_path, fixtures_dir):
    src = fixtures_dir / "gbif_dwca_real.zip"
    occ, mm = read_real(src)
    with_media = {m["gbifID"].strip() for m in mm if m["type"] == "StillImage"}
    basis = Counter(r["basisOfRecord"] for r in occ)
    assert basis["PRESERVED_SPECIMEN"] == 159 and basis["HUMAN_OBSERVATION"] == 1116
    specimens_with_images = sum(
        1 for r in occ if r["basisOfRecord"] == "PRESERVED_SPECIMEN" and r["gbifID"] in with_media
    )

    cfg = cfg_for(tmp_path, src)
    result = ingest(cfg)
    assert result.records_in == len(occ)
    assert len(result.manifest) == specimens_with_images == 0
    counts = dict(zip(result.drops.counts()["reason"], result.drops.counts()["count"], strict=True))
    assert counts == {"basis_of_record": len(occ) - 159, "no_image": 159}
    # the stage itself refuses an empty result with the reasons, keeps the drop tables and writes no manifest
    with pytest.raises(IngestError, match="no record of 1310 passed the filters.*basis_of_record 1151"):
        run_shard(cfg, Shard("ingest", 0, 1, str(tmp_path / "run")))
    dropped = pd.read_csv(tmp_path / "run" / "ingest" / "dropped.csv")
    assert dict(zip(dropped["reason"], dropped["count"], strict=True)) == counts
    assert len(pd.read_parquet(tmp_path / "run" / "ingest" / "dropped.parquet")) == len(occ)
    assert not (tmp_path / "run" / "manifest.parquet").exists()


def test_real_archive_human_observations(tmp_path, fixtures_dir):
    src = fixtures_dir / "gbif_dwca_real.zip"
    occ, mm = read_real(src)
    first_image = {}
    for m in mm:
        if m["type"] == "StillImage":
            first_image.setdefault(m["gbifID"].strip(), m)
    observations = [r for r in occ if r["basisOfRecord"] == "HUMAN_OBSERVATION"]
    expected_ids = {r["gbifID"] for r in observations if r["gbifID"] in first_image}

    cfg = cfg_for(tmp_path, src, "ingest.basis_of_record=[HUMAN_OBSERVATION]")
    result = ingest(cfg)
    write_outputs(cfg, result)
    m = pd.read_parquet(tmp_path / "run" / "manifest.parquet")
    assert set(m["gbifID"]) == expected_ids and m["gbifID"].is_unique
    assert m["gbifID"].map(type).eq(str).all()
    assert list(m.columns[:5]) == CONTRACT[:5] and list(m.columns[-4:]) == CONTRACT[-4:]
    for term in (
        "basisOfRecord",
        "catalogNumber",
        "recordedBy",
        "eventDate",
        "stateProvince",
        "scientificName",
    ):
        assert term in m.columns
    assert m["row"].tolist() == list(range(len(m)))
    by_id = m.set_index("gbifID")
    for gid in sorted(expected_ids)[:25]:
        assert by_id.at[gid, "identifier"] == first_image[gid]["identifier"]
        assert by_id.at[gid, "license"] == (
            first_image[gid]["license"] or next(r["license"] for r in occ if r["gbifID"] == gid)
        )
    assert (m["basisOfRecord"] == "HUMAN_OBSERVATION").all()
    # sorted by label then numeric gbifID
    assert m.sort_values(["label"], kind="stable")["gbifID"].map(int).is_monotonic_increasing
    classes = pd.read_csv(tmp_path / "run" / "classes.csv")
    assert classes["n_images"].sum() == len(m)
    assert (classes["n_train"] + classes["n_val"] + classes["n_test"] == classes["n_images"]).all()
    counts = Counter(result.drops.table()["reason"])
    assert counts["basis_of_record"] == len(occ) - len(observations)
    assert counts["no_image"] == len(observations) - len(expected_ids)


def test_report_section(tmp_path, fixtures_dir):
    from herbproc.gbif.stage import report_section

    cfg = cfg_for(tmp_path, fixtures_dir / "gbif_dwca_real.zip", "ingest.basis_of_record=[HUMAN_OBSERVATION]")
    result = ingest(cfg)
    write_outputs(cfg, result)
    html = report_section(cfg, tmp_path / "report")
    assert f"kept <b>{len(result.manifest)}</b> images in <b>1</b> classes" in html
    assert (
        f"<td>basis_of_record</td><td>basisOfRecord not wanted</td><td class='num'>{result.drops.count('basis_of_record')}</td>"
        in html
    )
    assert "Amblyomma americanum" in html


def test_manifest_is_deterministic_and_independent_of_input_order(tmp_path):
    recs = [record(str(100 + i), specificEpithet=["alba", "rubra", "velutina"][i % 3]) for i in range(30)]
    media = [media_row(r["gbifID"], f"http://h/{r['gbifID']}.jpg") for r in recs]
    a = write_dwca(tmp_path / "a.zip", recs, media)
    b = write_dwca(tmp_path / "b.zip", recs[::-1], media[::-1])
    extra = ["ingest.max_per_class=7", "seed=3"]
    m1 = ingest(cfg_for(tmp_path, a, *extra)).manifest
    m2 = ingest(cfg_for(tmp_path, a, *extra)).manifest
    m3 = ingest(cfg_for(tmp_path, b, *extra)).manifest
    pd.testing.assert_frame_equal(m1, m2)
    pd.testing.assert_frame_equal(m1, m3)
    m4 = ingest(cfg_for(tmp_path, a, "ingest.max_per_class=7", "seed=4")).manifest
    assert set(m4["gbifID"]) != set(m1["gbifID"])  # another seed samples other records


# --------------------------------------------------------------------------------------------- filters


def filter_world():
    recs = [
        record("1", stateProvince="MA"),
        record("2", stateProvince="Massachusetts"),
        record("3", stateProvince="Vermont", year="1850"),
        record("4", stateProvince="New York"),
        record("5", countryCode="CA", stateProvince="Quebec"),
        record("6", basisOfRecord="HUMAN_OBSERVATION"),
        record("7", taxonRank="GENUS", specificEpithet="", scientificName="Quercus"),
        record("8", genus="Acer", specificEpithet="rubrum", family="Sapindaceae"),
        record("9", year="", eventDate="1920-05-01"),
        record("10", year="", eventDate=""),
        record("11", stateProvince="ct"),
        record("11", stateProvince="ct"),  # duplicate id
        record("12"),  # no media
        record("13"),  # only a sound
        record("", stateProvince="MA"),  # no id
    ]
    media = [
        media_row(r["gbifID"], f"http://h/{r['gbifID']}.jpg")
        for r in recs
        if r["gbifID"] not in ("12", "13", "")
    ]
    media.append(media_row("13", "http://h/13.mp3", kind="Sound", fmt="audio/mpeg"))
    media.append(media_row("999", "http://h/999.jpg"))  # a media row without its record
    return recs, media


def test_filters_count_every_record_once(tmp_path):
    recs, media = filter_world()
    src = write_dwca(tmp_path / "f.zip", recs, media)
    genus_file = tmp_path / "genera.txt"
    genus_file.write_text("# New England genera\nQuercus\n\nBetula\n")
    cfg = cfg_for(
        tmp_path,
        src,
        "ingest.state_province=[CT,ME,MA,NH,RI,VT]",
        "ingest.country_code=[US]",
        "ingest.year_min=1880",
        "ingest.year_max=1950",
        "ingest.taxon_rank=[SPECIES]",
        f"ingest.genus_list={genus_file}",
    )
    result = ingest(cfg)
    table = result.drops.table()
    why = dict(zip(table["gbifID"], table["reason"], strict=False))
    assert sorted(result.manifest["gbifID"], key=int) == ["1", "2", "9", "11"]
    assert why["3"] == "year" and why["10"] == "year"
    assert why["4"] == "state_province" and why["5"] == "country_code"
    assert why["6"] == "basis_of_record" and why["7"] == "taxon_rank" and why["8"] == "genus"
    assert why["12"] == "no_image" and why["13"] == "no_still_image" and why[""] == "missing_id"
    assert table.loc[table["reason"] == "duplicate_id", "gbifID"].tolist() == ["11"]
    assert table.loc[table["reason"] == "orphan_media", "gbifID"].tolist() == ["999"]
    assert (
        result.records_in == len(recs) == len(result.manifest) + len(table) - 1
    )  # orphan media is not a record


def test_genus_list_as_csv_and_region_names(tmp_path):
    recs = [
        record("1"),
        record("2", genus="Acer", specificEpithet="rubrum"),
        record("3", genus="Betula", specificEpithet="lenta"),
    ]
    src = write_dwca(
        tmp_path / "g.zip", recs, [media_row(r["gbifID"], f"http://h/{r['gbifID']}") for r in recs]
    )
    table = tmp_path / "new_england.csv"
    table.write_text("family,genus\nFagaceae,quercus\nBetulaceae,BETULA\n")
    m = ingest(cfg_for(tmp_path, src, f"ingest.genus_list={table}")).manifest
    assert sorted(m["genus"]) == ["Betula", "Quercus"]
    assert normalise_region("MA") == normalise_region(" massachusetts. ") == normalise_region("Mass.")
    assert normalise_region("VT") == "vermont" and normalise_region("QC") == "quebec"


@pytest.mark.parametrize(("level", "names"), [("species", 3), ("genus", 2), ("family", 2)])
def test_label_levels(tmp_path, level, names):
    recs = [
        record("1"),
        record("2", specificEpithet="rubra"),
        record("3", genus="Acer", specificEpithet="rubrum", family="Sapindaceae"),
    ]
    src = write_dwca(
        tmp_path / "l.zip", recs, [media_row(r["gbifID"], f"http://h/{r['gbifID']}") for r in recs]
    )
    m = ingest(cfg_for(tmp_path, src, f"ingest.label_level={level}")).manifest
    assert m["label_name"].nunique() == names
    assert m["label"].tolist() == sorted(m["label"].tolist())
    assert m.groupby("label")["label_name"].nunique().eq(1).all()


def test_cap_minimum_and_split_are_exact(tmp_path):
    sizes = {"alba": 25, "rubra": 9, "velutina": 2}
    recs = [record(f"{k}{i:03d}", specificEpithet=k) for k, n in sizes.items() for i in range(n)]
    recs = [dict(r, gbifID=str(1000 + i)) for i, r in enumerate(recs)]
    src = write_dwca(
        tmp_path / "c.zip", recs, [media_row(r["gbifID"], f"http://h/{r['gbifID']}") for r in recs]
    )
    cfg = cfg_for(
        tmp_path,
        src,
        "ingest.max_per_class=10",
        "ingest.min_per_class=3",
        "ingest.val_fraction=0.2",
        "ingest.test_fraction=0.3",
    )
    result = ingest(cfg)
    m = result.manifest
    per_class = m["label_name"].value_counts().to_dict()
    assert per_class == {"Quercus alba": 10, "Quercus rubra": 9}
    drops = Counter(result.drops.table()["reason"])
    assert drops == {"class_cap": 15, "class_too_small": 2}
    for _, group in m.groupby("label_name"):
        n_train, n_val, n_test = split_counts(len(group), 0.2, 0.3)
        assert Counter(group["split"]) == Counter({"train": n_train, "val": n_val, "test": n_test})
    assert split_counts(10, 0.2, 0.3) == (5, 2, 3)
    assert split_counts(1, 0.2, 0.3) == (1, 0, 0) and split_counts(2, 0.4, 0.4) == (1, 0, 1)


# --------------------------------------------------------------------------------------------- malformed input


def small_archive(tmp_path, name="m.zip", **kw):
    recs = [record(str(i)) for i in range(1, 5)]
    media = [media_row(r["gbifID"], f"http://h/{r['gbifID']}.jpg") for r in recs]
    return write_dwca(tmp_path / name, recs, media, **kw)


def put(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: small_archive(p, skip=("meta.xml", "occurrence.txt")),
            "no meta.xml and no occurrence.txt",
        ),
        (lambda p: small_archive(p, files={"meta.xml": "<archive><core"}), "meta.xml is not valid XML"),
        (lambda p: small_archive(p, skip=("occurrence.txt",)), "occurrence.txt .*is not in"),
        (
            lambda p: small_archive(
                p, files={"meta.xml": __import__("gbif_archive").meta_xml(delimiter=",")}
            ),
            "wrong delimiter",
        ),
        (
            lambda p: small_archive(
                p, files={"meta.xml": __import__("gbif_archive").meta_xml(encoding="KOI9-X")}
            ),
            "unknown text encoding",
        ),
        (lambda p: zipfile.ZipFile(p / "empty.zip", "w").close() or p / "empty.zip", "empty zip"),
        (lambda p: put(p / "junk.zip", b"PK\x03\x04 this is not really a zip"), "zip"),
        (lambda p: put(p / "bin.dat", bytes(range(256)) * 4), "neither a zip archive nor a text table"),
        (lambda p: put(p / "empty.csv", b""), "is empty"),
        (lambda p: p / "nothing-here.zip", "does not exist"),
    ],
)
def test_broken_archives_give_clear_errors(tmp_path, make, message):
    src = make(tmp_path)
    with pytest.raises((IngestError, ConfigError), match=message):
        ingest(cfg_for(tmp_path, src))


def test_missing_column_for_a_filter_is_an_error_naming_it(tmp_path):
    import gbif_archive as ga

    terms = [t for t in ga.OCC_TERMS if t[1] != "basisOfRecord"]
    recs = [record(str(i)) for i in range(1, 4)]
    src = write_dwca(
        tmp_path / "nb.zip",
        recs,
        [media_row(r["gbifID"], "http://h/x") for r in recs],
        files={"meta.xml": ga.meta_xml(occ_terms=terms), "occurrence.txt": ga.table_text(recs, terms)},
    )
    with pytest.raises(IngestError, match=r"no basisOfRecord column.*ingest.basis_of_record=\[\]"):
        ingest(cfg_for(tmp_path, src))
    assert len(ingest(cfg_for(tmp_path, src, "ingest.basis_of_record=[]")).manifest) == 3


def test_bad_rows_are_counted_drops(tmp_path):
    import gbif_archive as ga

    recs = [record(str(i)) for i in range(1, 7)]
    text = ga.table_text(recs, ga.OCC_TERMS).encode()
    lines = text.split(b"\n")
    lines[2] = lines[2].replace(b"Collector", b"Collect\xe9r")  # latin-1 byte in a UTF-8 file: record 2
    lines[3] = b"\t".join(lines[3].split(b"\t")[:5])  # record 3 cut short
    media = [media_row(r["gbifID"], f"http://h/{r['gbifID']}") for r in recs]
    src = write_dwca(tmp_path / "bad.zip", recs, media, files={"occurrence.txt": b"\n".join(lines)})
    result = ingest(cfg_for(tmp_path, src))
    table = result.drops.table()
    assert dict(zip(table["gbifID"], table["reason"], strict=True)) == {
        "2": "bad_encoding",
        "3": "malformed_row",
    }
    assert sorted(result.manifest["gbifID"]) == ["1", "4", "5", "6"]


def test_archive_without_meta_xml_and_as_folder(tmp_path):
    recs = [record(str(i)) for i in range(1, 4)]
    media = [media_row(r["gbifID"], f"http://h/{r['gbifID']}") for r in recs]
    no_meta = write_dwca(tmp_path / "nometa.zip", recs, media, skip=("meta.xml",))
    folder = write_dwca(tmp_path / "folder", recs, media, as_zip=False)
    for src in (no_meta, folder):
        assert sorted(ingest(cfg_for(tmp_path, src)).manifest["gbifID"]) == ["1", "2", "3"]


def test_meta_xml_line_ends_header_lines_and_encoding(tmp_path):
    import gbif_archive as ga

    recs = [record("1", recordedBy="J. Müller"), record("2", recordedBy="Ångström")]
    media = [media_row(r["gbifID"], f"http://h/{r['gbifID']}") for r in recs]
    meta = ga.meta_xml(header_lines=0, encoding="ISO-8859-1").replace(
        'linesTerminatedBy="\\n"', 'linesTerminatedBy="\\r\\n"'
    )
    assert 'linesTerminatedBy="\\r\\n"' in meta
    occ = ga.table_text(recs, ga.OCC_TERMS, header=False).replace("\n", "\r\n").encode("latin-1")
    mm = ga.table_text(media, ga.MEDIA_TERMS, header=False).replace("\n", "\r\n").encode("latin-1")
    src = write_dwca(
        tmp_path / "crlf.zip",
        recs,
        media,
        files={"meta.xml": meta, "occurrence.txt": occ, "multimedia.txt": mm},
    )
    m = ingest(cfg_for(tmp_path, src)).manifest.set_index("gbifID")
    assert m.at["1", "recordedBy"] == "J. Müller" and m.at["2", "recordedBy"] == "Ångström"
    assert m.at["2", "identifier"] == "http://h/2"


def test_quoted_comma_separated_archive(tmp_path):
    import gbif_archive as ga

    recs = [record("1", locality='Mount Tom, "north" slope'), record("2")]
    rows = [",".join('"' + str(r.get(n, "")).replace('"', '""') + '"' for _, n in ga.OCC_TERMS) for r in recs]
    occ = ",".join(n for _, n in ga.OCC_TERMS) + "\n" + "\n".join(rows) + "\n"
    media = [media_row(r["gbifID"], f"http://h/{r['gbifID']}") for r in recs]
    mm = (
        ",".join(n for _, n in ga.MEDIA_TERMS)
        + "\n"
        + "\n".join(",".join(m[n] for _, n in ga.MEDIA_TERMS) for m in media)
        + "\n"
    )
    src = write_dwca(
        tmp_path / "q.zip",
        recs,
        media,
        files={
            "meta.xml": ga.meta_xml(delimiter=",", quote="&quot;"),
            "occurrence.txt": occ,
            "multimedia.txt": mm,
        },
    )
    assert sorted(ingest(cfg_for(tmp_path, src)).manifest["gbifID"]) == ["1", "2"]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("ingest.label_level=order", "ingest.label_level"),
        ("ingest.val_fraction=0.9", "val_fraction \\+ ingest.test_fraction"),
        ("ingest.year_min=1950", "year_min=1950 is after"),
        ("ingest.genus_list=/nonexistent/genera.txt", "does not exist"),
        ("ingest.source=excel", "ingest.source"),
        ("ingest.api_base=ftp://x", "ingest.api_base"),
        ("ingest.min_per_class=20", "min_per_class=20 is above"),
        ("ingest.max_ratio=0.5", "wrong value for 'ingest.max_ratio': 0.5"),
        ("ingest.max_member_gb=0", "wrong value for 'ingest.max_member_gb': 0"),
    ],
)
def test_bad_settings_are_config_errors(tmp_path, override, message):
    src = small_archive(tmp_path)
    extra = [override] + (["ingest.year_max=1900"] if "year_min" in override else [])
    extra += ["ingest.max_per_class=5"] if "min_per_class" in override else []
    with pytest.raises(ConfigError, match=message):
        cfg_for(tmp_path, src, *extra)


def test_launch_with_broken_input_fails_clearly(tmp_path):
    from conftest import run_cli

    junk = put(tmp_path / "download.zip", b"<html>the GBIF download page, saved by mistake</html>")
    proc = run_cli("launch", "stage=ingest", f"run_dir={tmp_path / 'run'}", f"input={junk}")
    assert proc.returncode == 1
    assert "FAILED: IngestError" in proc.stdout and "is named .zip but is not a zip archive" in proc.stdout
    assert not (tmp_path / "run" / "manifest.parquet").exists()
    missing = run_cli(
        "launch", "stage=ingest", f"run_dir={tmp_path / 'run2'}", f"input={tmp_path / 'nope.zip'}"
    )
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_missing_input_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="input .*does not exist"):
        cfg_for(tmp_path, tmp_path / "missing.zip")
    with pytest.raises(ConfigError, match="missing required value 'input'"):
        compose(["stage=ingest", "data=none", f"run_dir={tmp_path}"])
    # an input inside the run directory may be an earlier stage's output: checked when ingest runs
    cfg = compose(["stage=ingest", f"run_dir={tmp_path}", f"input={tmp_path / 'synth' / 'dwca.zip'}"])
    with pytest.raises(IngestError, match="does not exist"):
        ingest(cfg)


def test_unsafe_record_ids_are_dropped_with_a_reason(tmp_path):
    ids = ["7", "../../../../tmp/x/PWNED", "/etc/passwd", "a b", ".hidden", "ok_id-2.v1", "x" * 129,
           "urn:catalog:NY:V:12", r"C:\\x", ":lead"]  # fmt: skip
    recs = [record(i) for i in ids]
    src = write_dwca(tmp_path / "u.zip", recs, [media_row(i, f"http://h/{k}.jpg") for k, i in enumerate(ids)])
    result = ingest(cfg_for(tmp_path, src))
    table = result.drops.table()
    safe = {"7", "ok_id-2.v1", "urn:catalog:NY:V:12"}
    assert sorted(result.manifest["gbifID"]) == sorted(safe)
    assert sorted(table.loc[table["reason"] == "unsafe_id", "gbifID"]) == sorted(set(ids) - safe)
    assert result.records_in == len(result.manifest) + len(table)


def test_archive_bombs_are_refused_naming_the_member(tmp_path):
    recs = [record("1"), record("2")]
    media = [media_row(r["gbifID"], f"http://h/{r['gbifID']}.jpg") for r in recs]
    padded = table_text(recs, OCC_TERMS) + "\n" * 30_000_000  # 30 MB of nothing, packed into ~30 kB
    bomb = write_dwca(tmp_path / "bomb.zip", recs, media, files={"occurrence.txt": padded})
    assert bomb.stat().st_size < 200_000
    with pytest.raises(IngestError, match=r"^occurrence.txt in .*bomb.zip unpacks \d+x .*ingest.max_ratio"):
        ingest(cfg_for(tmp_path, bomb))
    assert len(ingest(cfg_for(tmp_path, bomb, "ingest.max_ratio=100000")).manifest) == 2  # a limit, not a ban
    small = write_dwca(tmp_path / "small.zip", recs, media)
    with pytest.raises(IngestError, match=r"^meta.xml in .*small.zip unpacks to [\d.]+ kB, over the limit of 100 bytes \(ingest.max_member_gb\)"):
        ingest(cfg_for(tmp_path, small, "ingest.max_member_gb=1e-7", "ingest.source=dwca"))
    huge_meta = meta_xml().replace("<archive ", "<!--" + "x" * 3_000_000 + "--><archive ")
    meta_bomb = write_dwca(tmp_path / "meta.zip", recs, media, files={"meta.xml": huge_meta})
    with pytest.raises(IngestError, match=r"^meta.xml in .* is larger than 1048576 bytes"):
        ingest(cfg_for(tmp_path, meta_bomb, "ingest.max_ratio=1e9"))
    long_field = [record("1", recordedBy="y" * 20_000_000)]
    folder = write_dwca(tmp_path / "long", long_field, media[:1], as_zip=False)
    with pytest.raises(IngestError, match=r"occurrence.txt: cannot parse line 2: field larger than field limit"):
        ingest(cfg_for(tmp_path, folder))
