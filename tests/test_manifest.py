"""herbproc.manifest: a shard reads only its rows of the manifest (the row groups they lie in), and gets exactly
the rows, columns and dtypes that slicing the whole manifest gives; ingest writes the manifest in small groups."""

from __future__ import annotations

import math

import pandas as pd
import pyarrow.parquet as pq
import pytest
from gbif_archive import media_row, record, write_dwca

from herbproc import manifest as manifest_mod
from herbproc.config import compose
from herbproc.gbif import stage as gbif_stage
from herbproc.gbif import stream
from herbproc.manifest import (
    load_manifest,
    load_manifest_rows,
    load_shard_manifest,
    manifest_columns,
    manifest_rows,
    overlapping_groups,
)
from herbproc.paths import RunPaths
from herbproc.shard import Shard

GROUP = 7  # rows per row group of the test manifests


def write_manifest(run_dir, n: int, group: int = GROUP) -> pd.DataFrame:
    """A manifest of ``n`` rows in row groups of ``group`` rows, with the column types ingest writes."""
    df = pd.DataFrame(
        {
            "gbifID": [str(10_000 + 3 * i) for i in range(n)],
            "identifier": [f"https://example.org/{i}.jpg" for i in range(n)],
            "scientificName": [f"Quercus sp{i % 5}" for i in range(n)],
            "label": [i % 5 for i in range(n)],
            "split": [("train", "val", "test")[i % 3] for i in range(n)],
            "row": list(range(n)),
        }
    )
    RunPaths(run_dir).root.mkdir(parents=True, exist_ok=True)
    df.to_parquet(RunPaths(run_dir).manifest, index=False, row_group_size=group)
    return df


@pytest.fixture
def run_dir(tmp_path):
    write_manifest(tmp_path, 100)
    return tmp_path


@pytest.fixture
def groups_read(monkeypatch):
    """The row-group indices every ``ParquetFile.read_row_groups`` call asked for, in order."""
    calls: list[list[int]] = []
    real = pq.ParquetFile.read_row_groups

    def spy(self, row_groups, *args, **kwargs):
        calls.append(list(row_groups))
        return real(self, row_groups, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "read_row_groups", spy)
    return calls


def test_the_manifest_has_many_groups_and_its_size_comes_from_the_footer(run_dir):
    assert pq.ParquetFile(RunPaths(run_dir).manifest).metadata.num_row_groups == math.ceil(100 / GROUP)
    assert manifest_rows(run_dir) == 100
    assert manifest_columns(run_dir) == ["gbifID", "identifier", "scientificName", "label", "split", "row"]


@pytest.mark.parametrize("n", [0, 1, 6, 7, 8, 100])
@pytest.mark.parametrize("count", [1, 2, 3, 7, 13, 200])
@pytest.mark.parametrize("align", [1, 2, 7, 64, 1000])
def test_a_shard_gets_the_rows_the_whole_manifest_would_give_it(tmp_path, n, count, align):
    write_manifest(tmp_path, n)
    whole = load_manifest(tmp_path)
    for index in range(count):
        shard = Shard("ocr", index, count, str(tmp_path))
        start, stop = shard.bounds(n, align)
        got = load_shard_manifest(tmp_path, shard, align)
        pd.testing.assert_frame_equal(got, whole.iloc[start:stop])
        assert list(got["row"]) == list(range(start, stop))
        assert [r["row"] for r in shard.select(whole.to_dict("records"), align)] == list(got["row"])


@pytest.mark.parametrize(
    "start,stop", [(0, 0), (0, 1), (5, 9), (6, 7), (7, 14), (13, 15), (99, 100), (95, 250)]
)
def test_rows_read_only_the_groups_they_overlap(run_dir, groups_read, start, stop):
    whole = load_manifest(run_dir)
    got = load_manifest_rows(run_dir, start, stop, columns=["row", "gbifID"])
    pd.testing.assert_frame_equal(got, whole[["row", "gbifID"]].iloc[start:stop])
    stop = min(stop, 100)
    expected = [g for g in range(math.ceil(100 / GROUP)) if g * GROUP < stop and (g + 1) * GROUP > start]
    assert groups_read == ([expected] if expected else [])
    assert len(expected) <= math.ceil((stop - start) / GROUP) + 1


def test_a_shard_of_200_reads_at_most_two_groups_more_than_it_needs(tmp_path, groups_read):
    write_manifest(tmp_path, 20_000, group=64)
    for index in (0, 57, 199):
        groups_read.clear()
        shard = Shard("download", index, 200, str(tmp_path))
        part = load_shard_manifest(tmp_path, shard, align=64)
        assert len(groups_read) == 1 and len(groups_read[0]) <= math.ceil(len(part) / 64) + 1
        assert len(groups_read[0]) < 20_000 // 64 // 10


def test_groups_of_unequal_sizes():
    assert overlapping_groups([3, 5, 2, 4], 0, 14) == ([0, 1, 2, 3], 0)
    assert overlapping_groups([3, 5, 2, 4], 3, 8) == ([1], 3)
    assert overlapping_groups([3, 5, 2, 4], 7, 11) == ([1, 2, 3], 3)
    assert overlapping_groups([3, 5, 2, 4], 9, 9) == ([], 0)
    assert overlapping_groups([], 0, 5) == ([], 0)


def test_gbif_ids_are_text_and_columns_can_be_chosen(run_dir):
    got = load_manifest_rows(run_dir, 10, 20, columns=["gbifID"])
    assert list(got.columns) == ["gbifID"] and all(isinstance(g, str) for g in got["gbifID"])
    assert list(got["gbifID"]) == [str(10_000 + 3 * i) for i in range(10, 20)]
    empty = load_manifest_rows(run_dir, 50, 50, columns=["row", "gbifID"])
    assert list(empty.columns) == ["row", "gbifID"] and len(empty) == 0


def test_a_missing_manifest_is_a_clear_error(tmp_path):
    for read in (
        lambda: load_manifest(tmp_path),
        lambda: manifest_rows(tmp_path),
        lambda: load_manifest_rows(tmp_path, 0, 5),
        lambda: load_shard_manifest(tmp_path, Shard("ocr", 0, 2, str(tmp_path))),
    ):
        with pytest.raises(
            FileNotFoundError, match="manifest.parquet does not exist: run stage=ingest first"
        ):
            read()


def test_the_old_import_still_works():
    assert gbif_stage.load_manifest is manifest_mod.load_manifest


@pytest.mark.parametrize("streaming", [True, False], ids=["streamed", "in_memory"])
def test_ingest_writes_the_manifest_in_small_row_groups(tmp_path, monkeypatch, streaming):
    monkeypatch.setattr(stream, "ROW_GROUP_ROWS", 4)
    monkeypatch.setattr(gbif_stage, "ROW_GROUP_ROWS", 4)
    recs = [record(str(1000 + i), specificEpithet=("alba", "rubra")[i % 2]) for i in range(30)]
    media = [media_row(r["gbifID"], f"https://example.org/{i}.jpg") for i, r in enumerate(recs)]
    src = write_dwca(tmp_path / "in.zip", recs, media)
    cfg = compose(["stage=ingest", f"run_dir={tmp_path / 'run'}", f"input={src}"])
    result = gbif_stage.ingest(cfg, streaming=streaming)
    assert (result.frame is None) == streaming  # the path asked for did run
    gbif_stage.write_outputs(cfg, result)
    meta = pq.ParquetFile(RunPaths(tmp_path / "run").manifest).metadata
    sizes = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
    assert sum(sizes) == 30 and sizes == [4] * 7 + [2]
    part = load_shard_manifest(tmp_path / "run", Shard("ocr", 1, 3, str(tmp_path / "run")))
    pd.testing.assert_frame_equal(part, load_manifest(tmp_path / "run").iloc[10:20])


def test_the_row_group_size_fits_store_blocks_and_streamed_buckets():
    assert manifest_mod.ROW_GROUP_ROWS % 64 == 0 and manifest_mod.ROW_GROUP_ROWS % 256 == 0
    assert stream.BUCKET_ROWS % manifest_mod.ROW_GROUP_ROWS == 0
