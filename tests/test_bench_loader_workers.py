"""bench/loader_workers.py (the fork server against spawned and forked loader workers) runs end to end, and says
in one line when it cannot run as asked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "loader_workers.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=300)


def test_the_bench_measures_every_way_side_by_side():
    proc = run("--workers", "2")
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if "MB private each" in line}
    for way in ("forkserver", "spawn", "fork"):
        assert "2 workers" in lines[way], proc.stdout
        assert float(lines[way].split("first batch")[1].split()[0]) > 0
    assert "fork server / spawn: first batch x" in proc.stdout
    private = {w: float(lines[w].split("workers,")[1].split()[0]) for w in ("forkserver", "spawn")}
    assert private["forkserver"] < private["spawn"], proc.stdout


def test_no_workers_is_one_line():
    proc = run("--workers", "0")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "loader_workers: --workers must be at least 1"
