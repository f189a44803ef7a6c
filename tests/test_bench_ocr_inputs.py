"""bench/ocr.py rereads with a folder that is not laid out as aocr_gold: one line, no traceback, no reading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "ocr.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=120)


def test_a_missing_or_empty_gold_folder_is_one_line(tmp_path):
    for folder in (tmp_path / "nope", tmp_path):
        proc = run("rereads", "--source", "aocr", "--aocr-folder", str(folder))
        assert proc.returncode == 1
        assert f"{folder} holds no gold sheets" in proc.stderr and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


def test_a_folder_with_transcriptions_and_no_names_list_is_one_line(tmp_path):
    (tmp_path / "parsed").mkdir()
    (tmp_path / "parsed" / "NY_0001.csv").write_text("dwc:eventDate\n1950-08-23\n", encoding="utf-8")
    proc = run("rereads", "--source", "aocr", "--aocr-folder", str(tmp_path))
    assert proc.returncode == 1 and "no names.txt" in proc.stderr and "Traceback" not in proc.stderr
