"""``herbproc ocr IMAGE... [--names] [--engine] [--json]`` on a real fixture sheet, and its errors (exit 2)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, shared_fixture

from herbproc.cli import main

SHEET = "Commelina communis L.51.jpeg"


@pytest.fixture(scope="module")
def sheet() -> Path:
    return shared_fixture("real_sheets", SHEET)


@pytest.fixture(scope="module")
def names(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("names") / "names.txt"
    out.write_text(
        "# candidate names\nCommelina communis L.\nCommelina erecta L.\nCyperus retrorsus Chapm.\n"
    )
    return out


def test_cli_json_on_a_real_sheet(sheet, names):
    proc = subprocess.run(
        [sys.executable, "-m", "herbproc.cli", "ocr", str(sheet), "--names", str(names), "--json"],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(records) == 1
    record = records[0]
    assert record["image"] == str(sheet)
    assert record["scientificName"] == "Commelina communis L."
    assert record["genus"] == "Commelina" and record["specificEpithet"] == "communis"
    assert {"recordedBy", "eventDate", "stateProvince", "country", "catalogNumber"} <= set(record)
    assert record["confidence"]["scientificName"] > 0.5 and record["lines"]


def test_cli_plain_output_and_errors(sheet, names, tmp_path, capsys):
    assert main(["ocr", str(sheet), "--names", str(names), "--set", "crop_pads=[0.0]"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"== {sheet}") and "scientificName: Commelina communis L." in out

    if shutil.which("tesseract"):  # the ensemble: PP-OCR and Tesseract read every line, one reading kept
        assert main(["ocr", str(sheet), "--names", str(names), "--engine", "ensemble", "--json"]) == 0
        record = json.loads(capsys.readouterr().out)
        assert record["scientificName"] == "Commelina communis L."

    def fails(*argv: str) -> str:
        assert main(["ocr", *argv]) == 2
        return capsys.readouterr().err

    assert "no such file" in fails(str(tmp_path / "missing.jpg"))
    assert "taxon names file not found" in fails(str(sheet), "--names", str(tmp_path / "none.txt"))
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing here\n\n")
    assert "has no names" in fails(str(sheet), "--names", str(empty))
    assert "needs a checkpoint" in fails(str(sheet), "--engine", "trocr")
    assert "--set takes key=value" in fails(str(sheet), "--set", "crop_pads")
    assert "ocr.min_line_height" in fails(str(sheet), "--set", "min_line_height=2")
    assert "unknown ocr setting" in fails(str(sheet), "--set", "pads=[0]")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(sheet.read_bytes()[:500])
    assert main(["ocr", str(broken), str(sheet), "--json", "--names", str(names)]) == 2
    captured = capsys.readouterr()
    assert f"{broken}: the image header cannot be read" in captured.err
    assert json.loads(captured.out)["image"] == str(sheet), "the readable image is still read"
    with pytest.raises(SystemExit):
        main(["ocr", str(sheet), "--engine", "abbyy"])


def test_cli_without_tesseract_says_so_before_reading_when_it_would_reread(sheet, names, monkeypatch, capsys):
    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda cmd, *a, **k: None if cmd == "tesseract" else real_which(cmd, *a, **k)
    )
    assert main(["ocr", str(sheet), "--names", str(names), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "ocr.reread_engines names tesseract" in captured.err
    assert "ocr.reread_engines=[ppocr]" in captured.err and len(captured.err.strip().splitlines()) == 1
    # told how, the same sheet reads with PP-OCR's re-reads only, or with neither re-read (a taxon's, a date's)
    assert main(["ocr", str(sheet), "--names", str(names), "--set", "reread_engines=[ppocr]", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["scientificName"] == "Commelina communis L."
    assert main(["ocr", str(sheet), "--json"]) == 2, "a date's re-reads need it too"
    assert "ocr.reread_dates=false" in capsys.readouterr().err
    assert main(["ocr", str(sheet), "--set", "reread_dates=false", "--json"]) == 0
