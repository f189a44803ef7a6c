"""Shared fixtures: the real one-machine clusters, the shared fixtures folder, small run directories.

The clusters are started by `hpc/localcluster/{slurm,sge}.sh start` (the README's test command and .ci/run do
it). Tests that need one skip when it is not up, unless HERBPROC_REQUIRE_CLUSTERS=1 (set by the test command and
CI), where a missing cluster is a failure rather than a silent skip.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _find_fixtures() -> Path:
    """HERBPROC_FIXTURES, else ../shared/fixtures beside this checkout, else this workplace's shared folder."""
    candidates = [
        os.environ.get("HERBPROC_FIXTURES"),
        REPO.parent / "shared" / "fixtures",
        "/work/shared/fixtures",
    ]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return REPO.parent / "shared" / "fixtures"


FIXTURES = _find_fixtures()
PYTHON = sys.executable


def _require() -> bool:
    return os.environ.get("HERBPROC_REQUIRE_CLUSTERS") == "1"


def _cluster_up(cmd: list[str]) -> bool:
    if not shutil.which(cmd[0]):
        return False
    try:
        return subprocess.run(cmd, capture_output=True, timeout=20).returncode == 0
    except subprocess.TimeoutExpired:
        return False


@pytest.fixture(scope="session")
def slurm_cluster() -> str:
    """The one-machine SLURM (slurmctld + slurmd + slurmdbd) is up and answers."""
    if not _cluster_up(["bash", str(REPO / "hpc" / "localcluster" / "slurm.sh"), "status"]):
        msg = "SLURM is not running here (start it with: bash hpc/localcluster/slurm.sh start)"
        if _require():
            pytest.fail(msg)
        pytest.skip(msg)
    return "slurm"


@pytest.fixture(scope="session")
def sge_cluster() -> str:
    """The one-machine Grid Engine (sge_qmaster + sge_execd) is up and answers."""
    os.environ.setdefault("SGE_ROOT", "/var/lib/gridengine")
    os.environ.setdefault("SGE_CELL", "default")
    if not _cluster_up(["bash", str(REPO / "hpc" / "localcluster" / "sge.sh"), "status"]):
        msg = "Grid Engine is not running here (start it with: bash hpc/localcluster/sge.sh start)"
        if _require():
            pytest.fail(msg)
        pytest.skip(msg)
    return "sge"


def shared_fixture(*parts: str) -> Path:
    """A path in the shared fixtures folder (``FIXTURES``). When it is missing the test is skipped, or fails under
    HERBPROC_REQUIRE_FIXTURES=1 (set by the test command and CI): real data must not drop out of CI unnoticed."""
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        msg = f"shared fixture {path} not found (give the fixtures folder as HERBPROC_FIXTURES)"
        if os.environ.get("HERBPROC_REQUIRE_FIXTURES") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    return path


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return shared_fixture()


def run_cli(
    script: str, *args: str, timeout: float = 600, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run jobs/<script>.py with this interpreter; returns the completed process (text output)."""
    return subprocess.run(
        [PYTHON, str(REPO / "jobs" / f"{script}.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or REPO,
    )


def launch_then_kill(args: list[str], done: Callable[[], int], at_least: int, timeout: float) -> None:
    """Start jobs/launch.py in a process group of its own and SIGKILL the whole group (launcher and shard
    processes) once ``done()`` reaches ``at_least``, after ``timeout`` seconds, or when the launch ends."""
    proc = subprocess.Popen(
        [PYTHON, str(REPO / "jobs" / "launch.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        t0 = time.monotonic()
        while done() < at_least and time.monotonic() - t0 < timeout and proc.poll() is None:
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


DEMO_TINY = ["data=demo", "synth.species=3", "synth.sheets_per_species=3", "synth.width=800", "synth.height=1200",
             "pipeline.port=0", "shards=2"]  # fmt: skip
DEMO_STAGES = "pipeline.stages=[synth,ingest,download,mask,train,evaluate,predict,phenology,ocr,report,export]"


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The demo pipeline on a tiny synthetic world, local executor, every stage and the export (one run that the
    end-to-end and the publishing tests read; it is the slowest thing the suite does)."""
    run_dir = tmp_path_factory.mktemp("demo") / "run"
    proc = run_cli("launch", "stage=pipeline", f"run_dir={run_dir}", *DEMO_TINY, DEMO_STAGES, "format=dwca",
                   timeout=900)  # fmt: skip
    return run_dir, proc
