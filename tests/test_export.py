"""stage=export format=cub: the CUB_200_2011 layout the official IELT loader reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from faultserver import FaultServer
from gbif_archive import SMALL_STORE, ingest_run, make_image
from PIL import Image

from herbproc.config import ConfigError, compose
from herbproc.io import OUTPUT_MARKER
from herbproc.shard import Shard, ShardError, execute_shard
from herbproc.store import open_store
from herbproc.store.export_cub import class_folder, run_shard


def read_cub(root: Path) -> pd.DataFrame:
    """What a CUB loader does: join the four text files on the image id (space-separated, ids from 1)."""

    def table(name, cols):
        rows = [line.split(" ") for line in (root / name).read_text().splitlines()]
        assert all(len(r) == len(cols) for r in rows), f"{name}: a line does not split into {cols}"
        return pd.DataFrame(rows, columns=cols).astype({"id": int})

    df = table("images.txt", ["id", "path"]).merge(table("image_class_labels.txt", ["id", "cls"]), on="id")
    df = df.merge(table("train_test_split.txt", ["id", "is_train"]), on="id")
    classes = table("classes.txt", ["id", "name"]).rename(columns={"id": "cls_id"})
    df["cls"] = df["cls"].astype(int)
    return df.merge(classes, left_on="cls", right_on="cls_id")


@pytest.fixture(scope="module")
def downloaded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export")
    files = {f"e{i}.jpg": make_image(30, 45, seed=i) for i in range(12)}
    with FaultServer(files) as srv:
        urls = [srv.url(n) for n in files] + [srv.url("gone.jpg")]
        base = ingest_run(
            tmp / "run", urls, classes=3, extra=["ingest.val_fraction=0.25", "ingest.test_fraction=0.25"]
        )
        execute_shard(compose(["stage=download", *base, *SMALL_STORE]), 0)
    return tmp / "run", base, files


def export(base, *extra):
    cfg = compose(["stage=export", *base, "format=cub", *extra])
    run_shard(cfg, Shard("export", 0, 1, cfg.run_dir))
    return cfg


def test_cub_layout_from_the_store(downloaded):
    run_dir, base, _ = downloaded
    export(base)
    out = run_dir / "export" / "cub"
    df = read_cub(out)
    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    store = open_store(run_dir)
    stored = manifest[manifest["row"].map(lambda r: bool(store.valid[r]))]
    assert len(df) == len(stored) == 12 and df["id"].tolist() == list(range(1, 13))
    assert sorted(df["cls"].unique()) == [1, 2, 3]  # 1-based
    assert not any(" " in n for n in df["name"]) and df["name"].str.match(r"^\d{3}\.").all()
    attribution = pd.read_csv(out / "attribution.csv", dtype={"gbifID": str})
    by_gid = stored.set_index("gbifID")
    for r, a in zip(df.itertuples(), attribution.itertuples(), strict=True):
        m = by_gid.loc[a.gbifID]
        assert r.cls == m["label"] + 1 and r.path.startswith(
            class_folder(int(m["label"]), m["label_name"], 3) + "/"
        )
        assert r.is_train == ("1" if m["split"] == "train" else "0")  # val goes to test by default
        with Image.open(out / "images" / r.path) as im:
            assert im.size == (24, 36)  # the training copy (width x height)
    assert (out / "images").is_dir() and not list(run_dir.glob("export/.cub.*"))


def test_cub_originals_val_as_train_and_skip(downloaded):
    run_dir, base, files = downloaded
    export(base, "export.images=original", "export.val_as=train")
    out = run_dir / "export" / "cub"
    df = read_cub(out)
    manifest = pd.read_parquet(run_dir / "manifest.parquet").set_index("gbifID")
    attribution = pd.read_csv(out / "attribution.csv", dtype={"gbifID": str})
    for r, a in zip(df.itertuples(), attribution.itertuples(), strict=True):
        name = manifest.at[a.gbifID, "identifier"].rsplit("/", 1)[-1]
        assert (out / "images" / r.path).read_bytes() == files[name]
        assert r.is_train == ("0" if a.split == "test" else "1")
    export(base, "export.val_as=skip")
    skipped = read_cub(out)
    assert len(skipped) == int((attribution["split"] != "val").sum())
    assert len(list((out / "images").rglob("*.jpg"))) == len(skipped)  # the old export is gone


def test_export_errors(downloaded, tmp_path):
    run_dir, base, _ = downloaded
    with pytest.raises(ConfigError, match="wrong value for 'format': 'coco'"):
        compose(["stage=export", *base, "format=coco"])
    with pytest.raises(ConfigError, match="missing required value 'format'"):
        compose(["stage=export", *base])
    with pytest.raises(ConfigError, match="export.images"):
        compose(["stage=export", *base, "format=cub", "export.images=thumbnails"])
    empty = ingest_run(tmp_path / "empty", ["http://127.0.0.1:9/none.jpg"])
    execute_shard(compose(["stage=download", *empty, *SMALL_STORE, "download.retries=0"]), 0)
    with pytest.raises(ShardError, match="nothing to export"):
        export(empty)
    assert not (tmp_path / "empty" / "export" / "cub").exists()
    assert class_folder(0, "Quercus alba var. x/y", 3) == "001.Quercus_alba_var._x_y"


def copied_run(downloaded, tmp_path):
    """A copy of the downloaded run (tests that change its manifest or its export folder)."""
    run_dir, base, _ = downloaded
    shutil.copytree(run_dir, tmp_path / "run")
    return tmp_path / "run", [f"run_dir={tmp_path / 'run'}", *base[1:]]


def test_a_record_id_cannot_write_outside_the_export(downloaded, tmp_path):
    run_dir, base = copied_run(downloaded, tmp_path)
    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    escape = tmp_path / "x" / "PWNED"
    (tmp_path / "x").mkdir()
    manifest.loc[0, "gbifID"] = "../../../../../../../../../.." + str(escape)  # a manifest from before ingest checked
    manifest.to_parquet(run_dir / "manifest.parquet", index=False)
    before = (run_dir / "export" / "cub" / "images.txt").read_text()  # an earlier export
    with pytest.raises(ShardError, match="cannot be a file name"):
        export(base, "export.images=original")
    assert list((tmp_path / "x").iterdir()) == []
    assert (run_dir / "export" / "cub" / "images.txt").read_text() == before  # left whole
    assert not list((run_dir / "export").glob(".cub*"))


def test_export_out_replaces_only_an_earlier_export(downloaded, tmp_path):
    run_dir, base = copied_run(downloaded, tmp_path)
    home = tmp_path / "home"
    (home / "thesis").mkdir(parents=True)
    (home / "thesis" / "chapter1.tex").write_text("years of work")
    with pytest.raises(ShardError, match=r"export.out .*home exists and holds files herbproc did not write"):
        export(base, f"export.out={home}")
    assert (home / "thesis" / "chapter1.tex").read_text() == "years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "run"]  # no partial folder left beside it
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep")
    with pytest.raises(ShardError, match="exists and is not a folder"):
        export(base, f"export.out={a_file}")
    assert a_file.read_text() == "keep"
    out = tmp_path / "cub_out"
    out.mkdir()  # an empty folder is fine
    export(base, f"export.out={out}")
    assert len(read_cub(out)) == 12 and (out / OUTPUT_MARKER).is_file()
    (out / "stale.txt").write_text("from the first export")
    export(base, f"export.out={out}", "export.val_as=skip")  # our own earlier export: replaced
    assert not (out / "stale.txt").exists() and len(read_cub(out)) < 12


def test_records_kept_without_a_name_are_left_out_of_the_cub_export(downloaded, tmp_path):
    run_dir, base = copied_run(downloaded, tmp_path)
    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    nameless = manifest["gbifID"].iloc[[0, 5]].tolist()
    unnamed = manifest["gbifID"].isin(nameless)
    manifest.loc[unnamed, ["label", "label_name", "split"]] = [-1, "", ""]  # as ingest.keep_unnamed writes them
    manifest.to_parquet(run_dir / "manifest.parquet", index=False)
    export(base)
    out = run_dir / "export" / "cub"
    attribution = pd.read_csv(out / "attribution.csv", dtype={"gbifID": str})
    assert len(read_cub(out)) == 10 and not set(attribution["gbifID"]) & set(nameless)
    assert sorted(read_cub(out)["cls"].unique()) == [1, 2, 3]
    manifest.loc[~unnamed, ["label", "label_name", "split"]] = [-1, "", ""]
    manifest.to_parquet(run_dir / "manifest.parquet", index=False)
    with pytest.raises(ShardError, match="nothing to export: no row .* with a class"):
        export(base)
