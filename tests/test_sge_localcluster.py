"""hpc/localcluster/sge.sh on a machine where it has already installed and started Grid Engine."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest
from conftest import REPO

pytestmark = pytest.mark.sge

SGE_SH = REPO / "hpc" / "localcluster" / "sge.sh"


def sge_sh(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SGE_SH), *args], capture_output=True, text=True, timeout=300, env={**os.environ, **env}
    )


def current_knobs() -> dict[str, str]:
    queue = subprocess.run(["qconf", "-sq", "all.q"], capture_output=True, text=True, check=True).stdout
    conf = subprocess.run(["qconf", "-sconf"], capture_output=True, text=True, check=True).stdout
    return {
        "SGE_SLOTS": re.search(r"^slots\s+(\d+)", queue, re.M).group(1),
        "SGE_MAX_AJ_TASKS": re.search(r"^max_aj_tasks\s+(\d+)", conf, re.M).group(1),
    }


def test_status_says_up(sge_cluster):
    proc = sge_sh("status")
    assert proc.returncode == 0 and "sge: up" in proc.stdout


def test_start_and_install_when_done_already_are_quick_no_ops(sge_cluster):
    if os.geteuid() != 0:
        pytest.skip("sge.sh start/install need root")
    knobs = current_knobs()
    t0 = time.monotonic()
    proc = sge_sh("start", **knobs)
    assert proc.returncode == 0, proc.stderr
    assert "already running" in proc.stdout and "modified" not in proc.stderr, "nothing reconfigured"
    proc = sge_sh("install")
    assert proc.returncode == 0 and "already installed" in proc.stdout
    assert time.monotonic() - t0 < 15
    assert current_knobs() == knobs
    queue = subprocess.run(["qconf", "-sq", "all.q"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^rerun\s+TRUE", queue, re.M), "exit 99 and qmod -rj need a rerunnable queue"


def test_unknown_command_prints_usage(sge_cluster):
    proc = sge_sh("launch")
    assert proc.returncode == 2 and "usage:" in proc.stderr and "selftest" in proc.stderr
