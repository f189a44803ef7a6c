"""A real herbarium download start to finish (data=gbif_small, local executor): real sheets, one per species, no
phenology labels, records without a name (kept outside the classes, and read). Stages that cannot do their job
step aside with a reason; the rest go on, and OCR reads the label's name from the real sheets. Then the bad
downloads a user meets."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli
from gbif_archive import make_image
from real_world import real_sheets, write_real_world

from herbproc.fields import parse_name
from herbproc.serve import FileServer

STAGES = ["ingest", "download", "mask", "train", "evaluate", "predict", "phenology", "ocr", "report"]
FAST = ["download.backoff_s=0.02", "download.max_backoff_s=0.1", "download.retries=1"]


def launch(run: Path, archive: Path, *extra: str):
    return run_cli(
        "launch", "stage=pipeline", "data=gbif_small", f"input={archive}", f"run_dir={run}", *FAST, *extra,
        timeout=1500,
    )  # fmt: skip


def states(run: Path) -> dict[str, dict]:
    status = json.loads(run_cli("status", f"run_dir={run}", "format=json").stdout)
    return {s["stage"]: s for s in status["stages"]}


def binomial(name: str) -> str:
    parsed = parse_name(name or "")
    return parsed.binomial if parsed else ""


@pytest.fixture(scope="module")
def real_run(tmp_path_factory, fixtures_dir):
    sheets = real_sheets(fixtures_dir / "real_sheets")
    root = tmp_path_factory.mktemp("real")
    with FileServer(fixtures_dir / "real_sheets") as server:
        world = write_real_world(root / "download.zip", server.url, sheets)
        proc = launch(root / "run", root / "download.zip")
        again = launch(root / "run", root / "download.zip")
    return root / "run", world, proc, again


def test_every_stage_is_done_or_skipped_with_a_reason(real_run):
    run, _, proc, _ = real_run
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    st = states(run)
    assert {s: st[s]["state"] for s in STAGES} == {
        "ingest": "done", "download": "done", "mask": "done", "train": "skipped", "evaluate": "skipped",
        "predict": "skipped", "phenology": "skipped", "ocr": "done", "report": "done",
    }  # fmt: skip
    assert "class(es) with at least train.min_class_sheets=2" in st["train"]["skipped"]
    assert "(14 stored sheets in 14 classes)" in st["train"]["skipped"]  # the 3 without a name are in none
    assert st["evaluate"]["skipped"] == "needs stage train, which was skipped"
    assert "whose record states a phenology" in st["phenology"]["skipped"]
    summary = json.loads((run / "phenology" / "summary.json").read_text())
    assert summary == {**summary, "stage": "phenology", "state": "skipped"}
    assert "[pipeline] stage phenology was skipped:" in proc.stdout and "Report: " in proc.stdout
    page = (run / "report" / "index.html").read_text()
    assert page.count("<b>Skipped:</b>") == 4


def test_records_without_a_name_are_kept_outside_the_classes_and_read(real_run):
    run, world, _, _ = real_run
    nameless = {gid for gid, s in world.items() if not s.name}
    assert len(nameless) == 3
    dropped = pd.read_csv(run / "ingest" / "dropped_records.csv", dtype=str)
    assert "no_label" not in set(dropped["reason"])
    manifest = pd.read_parquet(run / "manifest.parquet")
    assert sorted(manifest["gbifID"]) == sorted(world)
    unnamed = manifest[manifest["gbifID"].isin(nameless)]
    assert set(unnamed["label"]) == {-1} and set(unnamed["split"]) == {""} and set(unnamed["label_name"]) == {""}
    assert unnamed["row"].tolist() == list(range(len(world) - 3, len(world)))  # after every class
    classes = pd.read_csv(run / "classes.csv")
    assert len(classes) == len(world) - 3 and (classes["label"] >= 0).all()
    summary = json.loads((run / "ingest" / "summary.json").read_text())
    assert summary["splits"] == {"train": len(world) - 3, "unnamed": 3}
    assert "and 3 without a name in no class" in (run / "report" / "index.html").read_text()
    # each of these labels prints Castanea dentata, read without the run's taxonomy (which need not hold it)
    results = pd.read_parquet(run / "ocr" / "results.parquet").set_index("gbifID")
    assert set(results.loc[sorted(nameless), "taxon_source"]) == {"rules"}
    assert {binomial(results.at[gid, "scientificName"]) for gid in nameless} == {"Castanea dentata"}
    occurrences = pd.read_csv(run / "ocr" / "occurrences.csv", dtype=str, keep_default_na=False).set_index("gbifID")
    for gid in nameless:  # what a curator reads beside the name in occurrences.csv and the published archive
        assert occurrences.at[gid, "identificationRemarks"].startswith("scientificName as the label prints it")
    ocr = json.loads((run / "ocr" / "summary.json").read_text())
    assert ocr["unnamed"] == {"records": 3, "read": 3, "named": 3, "taxonomy": False}
    assert "Records without a name (kept by <code>ingest.keep_unnamed</code>): 3, 3 read;\n3 named" in (
        run / "report" / "index.html"
    ).read_text()


def test_ocr_reads_the_right_binomial_on_the_real_harvard_sheets(real_run):
    run, world, _, _ = real_run
    occurrences = pd.read_csv(run / "ocr" / "occurrences.csv", dtype=str, keep_default_na=False)
    read = dict(zip(occurrences["gbifID"], occurrences["scientificName"], strict=True))
    harvard = {gid: s for gid, s in world.items() if s.harvard}
    assert len(harvard) == 13
    rows = [(s.path.name, read.get(gid, ""), binomial(read.get(gid, "")) == binomial(s.name))
            for gid, s in harvard.items()]  # fmt: skip
    right = sum(ok for *_, ok in rows)
    table = "\n".join(f"{'ok ' if ok else 'BAD'} {f}: {got!r}" for f, got, ok in rows)
    assert right >= 12, f"right binomial on {right} of 13 real sheets:\n{table}"
    wrong = [r for r in rows if not r[2] and r[1]]
    assert len(wrong) <= 1, f"a wrong name is worse than none:\n{table}"


def test_a_relaunch_redoes_nothing(real_run):
    run, _, _, again = real_run
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert again.stdout.count("nothing to do") == 4, again.stdout  # ingest, download, mask, ocr
    assert again.stdout.count("skipped earlier") == 4, again.stdout  # train, evaluate, predict, phenology
    assert "[report] done" in again.stdout  # the report is drawn anew at every launch


# --------------------------------------------------------------------------------------------- bad downloads


def tiny_world(root: Path, fixtures_dir: Path, files: dict[str, bytes], real: int) -> tuple[Path, Path]:
    """An archive of ``real`` real sheets plus one record per entry of ``files`` (name -> bytes served; an
    empty value is never written, so its URL answers 404)."""
    served = root / "served"
    served.mkdir(parents=True)
    sheets = [s for s in real_sheets(fixtures_dir / "real_sheets") if s.harvard][:real]
    for s in sheets:
        (served / s.path.name).write_bytes(s.path.read_bytes())
    for name, data in files.items():
        if data:
            (served / name).write_bytes(data)
    return served, root / "download.zip"


def run_tiny(root: Path, fixtures_dir: Path, files: dict[str, bytes], real: int, *extra: str):
    served, archive = tiny_world(root, fixtures_dir, files, real)
    sheets = [s for s in real_sheets(fixtures_dir / "real_sheets") if s.harvard][:real]
    with FileServer(served) as server:
        extra_urls = {str(5_000_000_001 + i): f"{server.url}/{name}" for i, name in enumerate(files)}
        write_real_world(archive, server.url, sheets, extra_urls=extra_urls)
        return launch(root / "run", archive, *extra), root / "run"


def test_half_the_images_404_and_one_usable_record(tmp_path, fixtures_dir):
    proc, run = run_tiny(tmp_path, fixtures_dir, {"missing.jpg": b""}, real=1)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    failures = pd.read_csv(run / "download" / "failures.csv", dtype=str)
    assert failures["item_id"].tolist() == ["5000000001"] and failures["reason"].tolist() == ["http_404"]
    st = states(run)
    assert st["train"]["state"] == "skipped" and st["phenology"]["state"] == "skipped"
    assert st["ocr"]["state"] == "done" and st["report"]["state"] == "done"
    occurrences = pd.read_csv(run / "ocr" / "occurrences.csv", dtype=str, keep_default_na=False)
    assert "4000000001" in set(occurrences["gbifID"]), "the one good sheet is read"


def test_every_image_fails_to_decode(tmp_path, fixtures_dir):
    broken = {"a.jpg": b"\xff\xd8\xff\xe0 not a jpeg", "b.jpg": make_image()[:40]}
    proc, run = run_tiny(tmp_path, fixtures_dir, broken, real=0)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    failures = pd.read_csv(run / "download" / "failures.csv", dtype=str)
    assert len(failures) == 2 and set(failures["reason"]) <= {"decode_error", "truncated", "bad_image"}, failures
    st = states(run)
    assert st["mask"]["state"] == "skipped" and "every download failed" in st["mask"]["skipped"]
    for stage in ("train", "evaluate", "predict", "phenology", "ocr"):
        assert st[stage]["state"] == "skipped", (stage, st[stage])
    assert st["ocr"]["skipped"] == "needs stage mask, which was skipped"
    strict = run_cli("launch", "stage=mask", "data=gbif_small", f"run_dir={run}", "stage.rerun=true",
                     "pipeline.strict=true")  # fmt: skip
    assert strict.returncode == 1 and "pipeline.strict=true" in strict.stdout


def test_a_download_where_no_record_has_an_image_stops_at_ingest_with_one_line(tmp_path, fixtures_dir):
    from gbif_archive import record, write_dwca

    archive = write_dwca(tmp_path / "download.zip", [record("1"), record("2")], [])
    proc = launch(tmp_path / "run", archive)
    assert proc.returncode in (1, 2)
    message = proc.stdout + proc.stderr
    assert "no_image" in message or "no record" in message, message[-3000:]
    assert not (tmp_path / "run" / "store").exists(), "nothing downloaded, nothing after ingest ran"


def test_the_run_publishes_a_darwin_core_archive_that_reads_back(real_run, tmp_path):
    from dwca_roundtrip import export_and_check

    run, world, _, _ = real_run
    for prefer in ("record", "transcription"):
        counts = export_and_check(run, tmp_path / prefer, f"export.prefer={prefer}", "export.confidences=true")
        assert counts["core"] == counts["multimedia"] == counts["reingested"] == len(world)  # the nameless too
        assert counts["measurements"] > 0 and counts["untouched_values"] > 0
