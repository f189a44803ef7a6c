"""Ingest from a GBIF simple CSV (media from a fake occurrence API) and from a folder of the user's images."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest
from faultserver import FaultServer
from gbif_archive import make_image, record

from herbproc.config import compose
from herbproc.download.stage import read_local
from herbproc.gbif.stage import ingest, write_outputs
from herbproc.gbif.tables import IngestError
from herbproc.paths import is_safe_id
from herbproc.shard import ItemError

SIMPLE_COLUMNS = [
    "gbifID", "occurrenceID", "family", "genus", "species", "specificEpithet", "taxonRank", "scientificName",
    "countryCode", "stateProvince", "year", "basisOfRecord", "institutionCode", "catalogNumber", "recordedBy",
    "license", "rightsHolder", "mediaType",
]  # fmt: skip


def simple_csv(path, rows, delimiter="\t"):
    lines = [delimiter.join(SIMPLE_COLUMNS)] + [
        delimiter.join(str(r.get(c, "")) for c in SIMPLE_COLUMNS) for r in rows
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def api_record(gid, url, kind="StillImage"):
    return {
        "key": int(gid),
        "media": [
            {"type": kind, "format": "image/jpeg", "identifier": url, "license": "CC0", "rightsHolder": "H"}
        ],
    }


def cfg_for(tmp_path, src, *extra):
    return compose(["stage=ingest", f"run_dir={tmp_path / 'run'}", f"input={src}", *extra])


def test_simple_csv_media_from_the_api_with_cache_and_faults(tmp_path):
    rows = [
        dict(record(str(100 + i), specificEpithet="alba" if i < 8 else "rubra"), mediaType="StillImage")
        for i in range(12)
    ]
    rows[4]["mediaType"] = ""  # no media: dropped without asking the API
    src = simple_csv(tmp_path / "0001.csv", rows)
    with FaultServer() as srv:
        for r in rows:
            srv.occurrences[r["gbifID"]] = api_record(r["gbifID"], f"http://img/{r['gbifID']}.jpg")
        del srv.occurrences["105"]  # the API does not know it: 404
        srv.api_faults["106"] = ("429", 1)  # slow down once, then the answer
        srv.api_faults["107"] = ("500", 10**6)  # always failing
        srv.occurrences["108"] = api_record("108", "http://img/108.mp3", kind="Sound")
        cfg = cfg_for(
            tmp_path,
            src,
            f"ingest.api_base={srv.base}",
            "ingest.api_retries=1",
            "ingest.val_fraction=0",
            "ingest.test_fraction=0",
        )
        result = ingest(cfg)
        write_outputs(cfg, result)
        why = dict(zip(result.drops.table()["gbifID"], result.drops.table()["reason"], strict=True))
        assert why == {"104": "no_image", "105": "api_not_found", "107": "api_error", "108": "no_image"}
        m = result.manifest.set_index("gbifID")
        assert sorted(m.index) == sorted({r["gbifID"] for r in rows} - set(why))
        assert m.at["106", "identifier"] == "http://img/106.jpg" and m.at["106", "license"] == "CC0"
        assert srv.requests["/occurrence/104"] == 0
        assert srv.requests["/occurrence/106"] == 2 and srv.requests["/occurrence/107"] == 2
        before = Counter(srv.requests)
        again = ingest(
            cfg
        )  # answers come from <run_dir>/ingest/api_cache.jsonl; only the failed one is asked again
        asked = {k: srv.requests[k] - before[k] for k in srv.requests if srv.requests[k] != before[k]}
        assert asked == {"/occurrence/107": 2}
        pd.testing.assert_frame_equal(again.manifest, result.manifest)


def test_cap_asks_the_api_only_for_what_it_keeps(tmp_path):
    rows = [dict(record(str(200 + i)), mediaType="StillImage") for i in range(20)]
    src = simple_csv(tmp_path / "s.csv", rows)
    with FaultServer() as srv:
        for r in rows:
            srv.occurrences[r["gbifID"]] = api_record(r["gbifID"], f"http://img/{r['gbifID']}.jpg")
        del srv.occurrences[rows[3]["gbifID"]]
        result = ingest(cfg_for(tmp_path, src, f"ingest.api_base={srv.base}", "ingest.max_per_class=5"))
        assert len(result.manifest) == 5
        api_calls = sum(v for k, v in srv.requests.items() if k.startswith("/occurrence/"))
        lost = int(result.drops.count("api_not_found"))
        assert (
            api_calls == 5 + lost
        )  # a record the API does not know is replaced by the next one, nothing more
        assert result.drops.count("class_cap") == 20 - 5 - lost


def test_simple_csv_variants_and_errors(tmp_path):
    rows = [dict(record(str(300 + i)), mediaType="StillImage") for i in range(3)]
    with FaultServer() as srv:
        for r in rows:
            srv.occurrences[r["gbifID"]] = api_record(r["gbifID"], f"http://img/{r['gbifID']}.jpg")
        zipped = tmp_path / "download.zip"
        with zipfile.ZipFile(zipped, "w") as z:
            z.write(simple_csv(tmp_path / "0002.csv", rows), "0002.csv")
        comma = simple_csv(tmp_path / "comma.csv", rows, delimiter=",")
        for src in (zipped, comma):
            assert len(ingest(cfg_for(tmp_path, src, f"ingest.api_base={srv.base}")).manifest) == 3
    no_id = tmp_path / "noid.csv"
    no_id.write_text("key\tgenus\n1\tQuercus\n")
    with pytest.raises(IngestError, match="no gbifID column"):
        ingest(cfg_for(tmp_path, no_id))
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as z:
        z.writestr("a.csv", "gbifID\n1\n")
        z.writestr("b.csv", "gbifID\n2\n")
    with pytest.raises(IngestError, match="several tables"):
        ingest(cfg_for(tmp_path, two))


# --------------------------------------------------------------------------------------------- folders


def image_folder(root, classes=None):
    classes = classes or {"Quercus_alba": 3, "Acer rubrum": 2}
    for k, (name, n) in enumerate(classes.items()):
        (root / name).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            (root / name / f"sheet{k}{i}.jpg").write_bytes(make_image(seed=10 * k + i))
    return root


def test_folder_of_images_with_class_folders(tmp_path):
    root = image_folder(tmp_path / "mine")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "x.jpg").write_bytes(b"not counted")
    cfg = cfg_for(tmp_path, root)
    result = ingest(cfg)
    m = result.manifest
    assert Counter(m["label_name"]) == {"Quercus_alba": 3, "Acer rubrum": 2}
    assert m["identifier"].str.startswith("file://").all()
    assert set(m["gbifID"]) == {"sheet00", "sheet01", "sheet02", "sheet10", "sheet11"}
    write_outputs(cfg, result)
    data, ctype = read_local(m["identifier"].iloc[0], root)
    assert (
        data
        == (
            root
            / ("Acer rubrum" if m["label_name"].iloc[0] == "Acer rubrum" else "Quercus_alba")
            / f"{m['gbifID'].iloc[0]}.jpg"
        ).read_bytes()
    )
    assert ctype == "image/jpeg"
    with pytest.raises(ItemError, match="outside the ingested folder") as err:
        read_local((tmp_path / "elsewhere.jpg").as_uri(), root)
    assert err.value.reason == "bad_url"
    with pytest.raises(ItemError, match="only a folder ingest"):
        read_local(m["identifier"].iloc[0], None)


def test_folder_with_a_labels_csv_and_errors(tmp_path):
    root = tmp_path / "flat"
    root.mkdir()
    for i in range(4):
        (root / f"img{i}.png").write_bytes(make_image(fmt="PNG", seed=i))
    with pytest.raises(IngestError, match="not in class folders"):
        ingest(cfg_for(tmp_path, root))
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "id,scientificName,family\nimg0,Quercus alba L.,Fagaceae\nimg1,Quercus alba L.,Fagaceae\nimg2,Acer rubrum L.,Sapindaceae\n"
    )
    result = ingest(cfg_for(tmp_path, root, f"ingest.labels_csv={labels}"))
    assert Counter(result.manifest["label_name"]) == {"Quercus alba": 2, "Acer rubrum": 1}
    assert dict(zip(result.drops.table()["gbifID"], result.drops.table()["reason"], strict=True)) == {
        "img3": "no_label"
    }
    family = ingest(
        cfg_for(tmp_path, root, f"ingest.labels_csv={labels}", "ingest.label_level=family")
    ).manifest
    assert set(family["label_name"]) == {"Fagaceae", "Sapindaceae"}
    bad = tmp_path / "bad.csv"
    bad.write_text("name,label\nimg0,x\n")
    with pytest.raises(IngestError, match="needs a 'file' or 'id' column"):
        ingest(cfg_for(tmp_path, root, f"ingest.labels_csv={bad}"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IngestError, match="is empty"):
        ingest(cfg_for(tmp_path, empty))


def test_folder_files_whose_names_are_no_safe_ids_keep_their_images(tmp_path):
    """Real folders name files after the taxon ("Acer rubrum L.3.jpg") or repeat 001.jpg in every class folder:
    each image still becomes a record, with a safe id made from its path, and a labels CSV still finds it."""
    root = tmp_path / "mine"
    names = {
        "Acer rubrum": ["Acer rubrum L.3.jpg", "001.jpg", "Ärger (x).jpg"],
        "Quercus_alba": ["001.jpg", "plain_ok.jpg"],
    }
    for k, (folder, files) in enumerate(names.items()):
        (root / folder).mkdir(parents=True)
        for i, name in enumerate(files):
            (root / folder / name).write_bytes(make_image(seed=10 * k + i))
    m = ingest(cfg_for(tmp_path, root)).manifest
    assert len(m) == 5 and m["gbifID"].is_unique
    assert m["gbifID"].map(is_safe_id).all()
    assert "plain_ok" in set(m["gbifID"])  # a safe, unique name stays the id
    assert not {"001", "Acer rubrum L.3"} & set(m["gbifID"])
    by_id = dict(zip(m["gbifID"], m["identifier"], strict=True))
    again = ingest(cfg_for(tmp_path, root)).manifest  # the same files give the same ids
    assert dict(zip(again["gbifID"], again["identifier"], strict=True)) == by_id
    for gbif_id, uri in by_id.items():
        data, _ = read_local(uri, root)
        assert data == Path(unquote(urlparse(uri).path)).read_bytes(), gbif_id

    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / "Acer rubrum L.3.jpg").write_bytes(make_image(seed=1))
    (flat / "Quercus alba 7.jpg").write_bytes(make_image(seed=2))
    labels = tmp_path / "labels.csv"
    labels.write_text("id,scientificName\nAcer rubrum L.3,Acer rubrum L.\nQuercus alba 7,Quercus alba L.\n")
    m = ingest(cfg_for(tmp_path, flat, f"ingest.labels_csv={labels}")).manifest
    assert sorted(m["label_name"]) == ["Acer rubrum", "Quercus alba"]
