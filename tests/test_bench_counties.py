"""bench/counties.py: a readings cache that is not one, or a width no label can be read at, is one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "counties.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=120)


def test_a_broken_cache_is_one_line(tmp_path):
    cache = tmp_path / "readings.json"
    cache.write_text("{not json")
    proc = run("--cache", str(cache))
    assert proc.returncode == 2
    assert "not a readings file" in proc.stderr and "Traceback" not in proc.stderr


def test_a_cache_is_scored_with_the_check_off_and_on(tmp_path):
    cache = tmp_path / "readings.json"
    made_up = [
        {"lines": ["PLANTS OF OHIO", "ATHENZ CO.: along a creek"], "county": "Athens", "state": "Ohio"},
        {"lines": ["PLANTS OF KANSAS", "Qwertyz Co.: prairie"], "county": "Riley", "state": "Kansas"},
    ]
    cache.write_text(__import__("json").dumps(made_up))
    proc = run("--cache", str(cache), "--snap", "0.75", "--drop", "0.7")
    assert proc.returncode == 0, proc.stderr
    rows = {line[:28].strip(): line[28:].split() for line in proc.stdout.splitlines()[2:]}
    assert rows["off"] == ["0", "2", "0"]  # right, wrong, abstained: both misreads kept as read
    assert rows["snap >= 0.75, drop < 0.70"] == ["1", "0", "1"]  # mended, and dropped


def test_a_width_too_small_is_one_line():
    proc = run("--width", "20")
    assert proc.returncode == 2
    assert "--width" in proc.stderr and "Traceback" not in proc.stderr
