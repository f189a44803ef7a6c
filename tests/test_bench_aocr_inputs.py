"""bench/aocr.py's held-out set: a missing truth file or sheets folder is one clear line, before any reading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "aocr.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=120)


def test_a_missing_truth_file_is_one_line(tmp_path):
    (tmp_path / "more_sheets").mkdir()
    proc = run("--set", "more", "--fixtures", str(tmp_path), "--more-truth", str(tmp_path / "nope.csv"))
    assert proc.returncode == 2
    assert "truth file of the more set not found" in proc.stderr and "Traceback" not in proc.stderr


def test_a_missing_sheets_folder_is_one_line(tmp_path):
    proc = run("--set", "all", "--fixtures", str(tmp_path))
    assert proc.returncode == 2
    assert "more_sheets folder not found" in proc.stderr and "Traceback" not in proc.stderr
