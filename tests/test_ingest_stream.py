"""The streaming ingest (herbproc.gbif.stream) gives the in-memory ingest's manifest, classes and drops exactly,
on the real GBIF archive and on the odd test archives; and it holds a 200 k-record archive under a memory limit."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from gbif_archive import OCC_TERMS, media_row, meta_xml, record, table_text, write_dwca

from herbproc.config import compose
from herbproc.gbif import batches, stream
from herbproc.gbif.stage import ingest, write_outputs
from herbproc.manifest import ROW_GROUP_ROWS

REPO = Path(__file__).resolve().parents[1]


def cfg_for(tmp_path, input_path, *extra, run="run"):
    return compose(["stage=ingest", f"run_dir={tmp_path / run}", f"input={input_path}", *extra])


def assert_same(tmp_path, src, *extra, streamed=True):
    """Streaming and in-memory ingest of ``src`` agree on everything they return and write."""
    fast = ingest(cfg_for(tmp_path, src, *extra, run="a"))
    slow = ingest(cfg_for(tmp_path, src, *extra, run="b"), streaming=False)
    assert (fast.frame is None) == streamed  # the streaming path did run (or stepped aside)
    pd.testing.assert_frame_equal(fast.manifest, slow.manifest)
    pd.testing.assert_frame_equal(fast.classes, slow.classes)
    pd.testing.assert_frame_equal(fast.drops.table(), slow.drops.table())
    assert fast.records_in == slow.records_in and fast.notes == slow.notes
    assert fast.splits == slow.splits and fast.n_images == slow.n_images
    if slow.n_images:
        for run, result in (("a", fast), ("b", slow)):
            write_outputs(cfg_for(tmp_path, src, *extra, run=run), result)
        a, b = (pq.read_table(tmp_path / r / "manifest.parquet") for r in ("a", "b"))
        assert a.schema.equals(b.schema, check_metadata=True)
        assert a.equals(b)
        for name in ("classes.csv", "ingest/dropped.csv", "ingest/dropped_records.csv"):
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
        assert not list((tmp_path / "a" / "ingest").glob("stream-*"))  # the temporary folder is gone
    return fast


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["ingest.basis_of_record=[HUMAN_OBSERVATION]"],
        ["ingest.basis_of_record=[]", "ingest.max_per_class=40", "ingest.min_per_class=3", "seed=7"],
        ["ingest.basis_of_record=[]", "ingest.label_level=genus", "ingest.val_fraction=0.3"],
        ["ingest.basis_of_record=[]", "ingest.year_min=2019", "ingest.state_province=[TX,OK,GA]"],
    ],
)
def test_real_archive_streams_to_the_same_manifest(tmp_path, fixtures_dir, extra):
    assert_same(tmp_path, fixtures_dir / "gbif_dwca_real.zip", *extra)


def test_real_archive_in_small_blocks_and_buckets(tmp_path, fixtures_dir, monkeypatch):
    monkeypatch.setattr(batches, "BLOCK_BYTES", 50_000)
    monkeypatch.setattr(stream, "BUCKET_ROWS", 100)
    monkeypatch.setattr(stream, "SPILL_BUFFER_BYTES", 20_000)
    assert_same(tmp_path, fixtures_dir / "gbif_dwca_real.zip", "ingest.basis_of_record=[HUMAN_OBSERVATION]")


def odd_world():
    """Duplicates, missing ids, several images per record, sounds, empty URLs, orphans, filters of every kind."""
    epithets = ["alba", "rubra", "velutina", "bicolor", "x"]
    recs = [record(str(5000 + i * 7 % 61), specificEpithet=epithets[i % 5]) for i in range(60)]
    recs[3]["basisOfRecord"] = "HUMAN_OBSERVATION"
    recs[4]["year"] = ""
    recs[4]["eventDate"] = ""
    recs[5]["gbifID"] = ""
    recs[6]["gbifID"] = recs[7]["gbifID"]  # duplicate: the later row is dropped
    recs[8].update(genus="", specificEpithet="", scientificName="", species="")  # no label
    recs[9]["stateProvince"] = "Ontario"
    media = []
    for i, r in enumerate(recs):
        gid = r["gbifID"]
        if i % 11 == 0:
            continue  # no media
        if i % 13 == 0:
            media.append(media_row(gid, f"http://h/{gid}.mp3", kind="Sound", fmt="audio/mpeg"))
            media.append(media_row(gid, "", kind="StillImage"))
            continue
        if i % 4 == 0:
            media.append(media_row(gid, "", kind="StillImage"))  # no URL: not usable
        media.append(media_row(gid, f"http://h/{gid}-a.jpg"))
        media.append(media_row(gid, f"http://h/{gid}-b.jpg"))
    media.insert(10, media_row("999999", "http://h/orphan.jpg"))
    media.insert(20, media_row("x17", "http://h/orphan2.jpg"))
    return recs, media


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["ingest.max_per_class=5", "ingest.min_per_class=4", "ingest.state_province=[MA,Ontario]"],
        ["ingest.label_level=family", "ingest.year_min=1900"],
    ],
)
def test_odd_archive_streams_to_the_same_manifest_and_drops(tmp_path, extra):
    recs, media = odd_world()
    result = assert_same(tmp_path, write_dwca(tmp_path / "odd.zip", recs, media), *extra)
    reasons = set(result.drops.table()["reason"])
    assert {"missing_id", "duplicate_id", "no_image", "no_still_image", "orphan_media"} <= reasons


def test_bad_rows_blank_lines_and_crlf_stream_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(batches, "BLOCK_BYTES", 300)
    recs = [record(str(i), specificEpithet=["alba", "rubra"][i % 2]) for i in range(1, 40)]
    lines = table_text(recs, OCC_TERMS).encode().split(b"\n")
    lines[2] = lines[2].replace(b"Collector", b"Collect\xe9r")  # not UTF-8
    lines[5] = b"\t".join(lines[5].split(b"\t")[:5])  # cut short
    lines[9] = lines[9] + b"\t\t "  # blank extra fields: fine
    lines[12] = lines[12] + b"\tjunk"  # a non-blank extra field: malformed
    lines[15] = b"   "  # a blank line
    lines[20] = lines[20].replace(b"\t", b"\r", 1)  # a lone CR: a line end for the row reader
    occ = b"\n".join(lines[:25]) + b"\n\n" + b"\n".join(lines[25:])
    media = [media_row(r["gbifID"], f"http://h/{r['gbifID']}") for r in recs]
    mm = table_text(
        media,
        [
            (n, t)
            for n, t in [
                ("", "gbifID"),
                ("", "type"),
                ("", "format"),
                ("", "identifier"),
                ("", "license"),
                ("", "rightsHolder"),
            ]
        ],
    )
    mm_lines = mm.encode().split(b"\n")
    mm_lines[4] = b"\t".join(mm_lines[4].split(b"\t")[:2])  # a malformed media row
    src = write_dwca(tmp_path / "bad.zip", recs, media,
                     files={"occurrence.txt": b"\xef\xbb\xbf" + occ, "multimedia.txt": b"\n".join(mm_lines)})  # fmt: skip
    result = assert_same(tmp_path, src)
    reasons = set(result.drops.table()["reason"])
    assert {"bad_encoding", "malformed_row", "bad_media_row"} <= reasons
    crlf = write_dwca(
        tmp_path / "crlf.zip",
        recs,
        media,
        files={
            "meta.xml": meta_xml().replace('linesTerminatedBy="\\n"', 'linesTerminatedBy="\\r\\n"'),
            "occurrence.txt": occ.replace(b"\n", b"\r\n"),
        },
    )
    assert_same(tmp_path, crlf)


def test_other_layouts_stream_the_same(tmp_path):
    recs = [record("1", recordedBy="J. Müller", locality='Mount Tom, "north"'), record("2"), record("3")]
    media = [media_row(r["gbifID"], f"http://h/{r['gbifID']}") for r in recs]
    latin = write_dwca(
        tmp_path / "latin.zip",
        recs,
        media,
        files={
            "meta.xml": meta_xml(header_lines=0, encoding="ISO-8859-1"),
            "occurrence.txt": table_text(recs, OCC_TERMS, header=False).encode("latin-1"),
        },
    )
    assert_same(tmp_path, latin)
    assert_same(tmp_path, write_dwca(tmp_path / "nometa.zip", recs, media, skip=("meta.xml",)))
    assert_same(tmp_path, write_dwca(tmp_path / "folder", recs, media, as_zip=False))
    rows = [",".join('"' + str(r.get(n, "")).replace('"', '""') + '"' for _, n in OCC_TERMS) for r in recs]
    occ = ",".join(n for _, n in OCC_TERMS) + "\n" + "\n".join(rows) + "\n"
    mm = table_text(
        media, [("", n) for n in ("gbifID", "type", "format", "identifier", "license", "rightsHolder")], ","
    )
    quoted = write_dwca(
        tmp_path / "q.zip",
        recs,
        media,
        files={
            "meta.xml": meta_xml(delimiter=",", quote="&quot;"),
            "occurrence.txt": occ,
            "multimedia.txt": mm,
        },
    )
    assert_same(tmp_path, quoted)
    # ids that are not GBIF's integers, and an archive without a multimedia extension: the in-memory path
    named = [dict(r, gbifID=f"urn:{r['gbifID']}") for r in recs]
    named_media = [media_row(r["gbifID"], "http://h/x") for r in named]
    assert_same(tmp_path, write_dwca(tmp_path / "urn.zip", named, named_media), streamed=False)
    no_media = write_dwca(tmp_path / "nm.zip", recs, [], files={"meta.xml": meta_xml(with_media=False)},
                          skip=("multimedia.txt",))  # fmt: skip
    assert_same(tmp_path, no_media, "ingest.allow_empty=true", streamed=False)


def test_empty_result_streams_the_same(tmp_path):
    recs = [record(str(i), basisOfRecord="HUMAN_OBSERVATION") for i in range(1, 5)]
    media = [media_row(r["gbifID"], "http://h/x") for r in recs]
    src = write_dwca(tmp_path / "e.zip", recs, media)
    result = assert_same(tmp_path, src)
    assert result.n_images == 0 and result.splits == {}
    for run, streaming in (("c", True), ("d", False)):  # ingest.allow_empty: an empty manifest is written
        cfg = cfg_for(tmp_path, src, "ingest.allow_empty=true", run=run)
        write_outputs(cfg, ingest(cfg, streaming=streaming))
    a, b = (pq.read_table(tmp_path / r / "manifest.parquet") for r in ("c", "d"))
    assert a.num_rows == 0 and a.schema.equals(b.schema, check_metadata=True)


@pytest.mark.slow
def test_generated_archive_is_ingested_under_a_memory_limit(tmp_path):
    """200 k generated records (the real archive's 241 columns, 220 MB of occurrence.txt) under a memory limit.

    The in-memory ingest peaks at ~1.2 GB resident here (4.5 kB per record), the streaming one at ~0.65 GB
    (flat in the number of records but for ~70 bytes per record); the address-space limit stops a runaway."""
    src = tmp_path / "big.zip"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "make_big_dwca.py"), "--records", "200000", "--out", str(src),
         "--no-verbatim"],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    with zipfile.ZipFile(src) as z:
        assert z.getinfo("occurrence.txt").file_size > 200_000_000
    code = f"""
import resource
import pyarrow as pa
pa.set_cpu_count(2)
pa.set_io_thread_count(2)
resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}))
from herbproc.config import compose
from herbproc.gbif.stage import ingest, write_outputs
cfg = compose(["stage=ingest", "run_dir={tmp_path / "run"}", "input={src}"])
result = ingest(cfg)
assert result.frame is None, "not streamed"
write_outputs(cfg, result)
# VmHWM: this program's peak (ru_maxrss keeps the forking pytest process's size across exec)
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(result.records_in, result.n_images, hwm)
"""
    env = dict(os.environ, MALLOC_ARENA_MAX="2")
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, cwd=REPO, env=env
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    records_in, n_images, max_rss_kb = (int(x) for x in proc.stdout.split())
    assert records_in == 200_000 and n_images == 200_000
    assert max_rss_kb < RSS_LIMIT_KB, f"peak resident set {max_rss_kb / 1024:.0f} MB"
    m = pq.ParquetFile(tmp_path / "run" / "manifest.parquet")
    sizes = [m.metadata.row_group(g).num_rows for g in range(m.metadata.num_row_groups)]
    assert m.metadata.num_rows == n_images and len(sizes) == -(-n_images // ROW_GROUP_ROWS)  # small groups
    assert set(sizes[:-1]) == {ROW_GROUP_ROWS}  # buckets are whole groups: a shard's rows lie in few of them


LIMIT = 3 << 30  # address space (virtual memory: shared libraries and thread stacks included)
RSS_LIMIT_KB = 1 << 20  # 1 GiB resident


def test_gbif_layout_takes_the_pyarrow_path(fixtures_dir):
    import sys as _sys

    from herbproc.gbif.tables import TableFormat

    assert batches.PY_WHITESPACE == "".join(c for c in map(chr, range(_sys.maxunicode + 1)) if c.isspace())
    stats = batches.TableStats("occurrence.txt")
    with zipfile.ZipFile(fixtures_dir / "gbif_dwca_real.zip") as z, z.open("occurrence.txt") as f:
        got = list(
            batches.iter_batches(f, "occurrence.txt", TableFormat(), {"_id": 0}, n_fields=241, stats=stats)
        )
    assert sum(b.n_rows for b in got) == 1310 and stats.fast_blocks == 1 and stats.slow_blocks == 0
