"""bench/train.py (the trainer against the bare model step) runs end to end on a tiny world, and says in one line
when it cannot run as asked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

BENCH = Path(__file__).resolve().parents[1] / "bench" / "train.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=300)


def test_the_bench_times_the_bare_step_and_the_trainer():
    proc = run("--species", "2", "--sheets", "5", "--epochs", "2", "--steps", "2", "--workers", "0", "--batch", "4")
    assert proc.returncode == 0, proc.stderr[-2000:]
    bare = [line for line in proc.stdout.splitlines() if line.startswith("bare model step")]
    trainer = [line for line in proc.stdout.splitlines() if line.startswith("trainer, workers=0")]
    assert len(bare) == 1 and float(bare[0].split()[3]) > 0
    assert len(trainer) == 1 and "ratio trainer / bare" in trainer[0]
    assert "fp32 CPU" in proc.stdout


def test_cuda_without_a_gpu_is_one_line():
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    proc = run("--device", "cuda")
    assert proc.returncode == 2
    assert "--device cuda: torch sees no GPU here" in proc.stderr and "Traceback" not in proc.stderr


def test_a_bad_canvas_is_one_line():
    proc = run("--canvas", "wide")
    assert proc.returncode == 2
    assert "--canvas must be HxW" in proc.stderr and "Traceback" not in proc.stderr


PROBE = BENCH.parent / "nccl_probe.py"


def test_the_nccl_probe_says_in_one_line_what_it_cannot_run():
    cases = [(["cpu", "bogus"], "dist_backend 'bogus' unknown")]
    if not torch.cuda.is_available():
        cases.append((["cuda", "nccl"], "torch sees no GPU"))
    for args, words in cases:
        proc = subprocess.run([sys.executable, str(PROBE), *args], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1
        assert proc.stderr.strip().startswith("nccl_probe: ") and words in proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
