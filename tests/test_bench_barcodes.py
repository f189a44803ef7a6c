"""bench/barcodes.py: a folder that is not one of gold sheets is one line, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "barcodes.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=120)


def test_a_lichens_folder_without_its_gold_is_one_line(tmp_path):
    proc = run("--lichens", str(tmp_path / "missing"))
    assert proc.returncode == 2
    assert "no parsed/ folder" in proc.stderr and "Traceback" not in proc.stderr


def test_a_fixtures_folder_without_the_sheets_is_one_line(tmp_path):
    proc = run("--fixtures", str(tmp_path))
    assert proc.returncode == 2
    assert "no more_sheets/ folder" in proc.stderr and "Traceback" not in proc.stderr
