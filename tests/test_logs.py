"""Log folders per stage and task (<run_dir>/logs/<stage>/<job id>/): the path status prints for a failed shard,
and clean_logs=success, locally, on SLURM (split arrays, a launch that returns at once) and on Grid Engine."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import run_cli

from hpc import status
from hpc.backends import ACTIVE, get_backend


def jobs_of(run_dir: Path) -> dict[int, str]:
    subs = json.loads((run_dir / "state" / "noop" / "jobs.json").read_text())["submissions"]
    return {int(k): v for k, v in subs[-1]["jobs"].items()}


def failed_shard_entry(run_dir: Path, shard: int) -> dict:
    stage = status.gather(run_dir)["stages"][0]
    return next(f for f in stage["failed_shards"] if f["shard"] == shard)


def jobs_of_all(run_dir: Path) -> dict[int, str]:
    """Local launches record one submission per shard."""
    subs = json.loads((run_dir / "state" / "noop" / "jobs.json").read_text())["submissions"]
    return {int(k): v for s in subs for k, v in s["jobs"].items()}


def test_local_failure_log_path_and_clean_logs(tmp_path):
    proc = run_cli(
        "launch",
        "stage=noop",
        f"run_dir={tmp_path}",
        "shards=3",
        "noop.count=3",
        "noop.fail_shards=[1]",
        "clean_logs=success",
    )
    assert proc.returncode == 1
    jobs = jobs_of_all(tmp_path)
    logs = tmp_path / "logs" / "noop"
    assert sorted(p.name for p in logs.iterdir() if p.is_dir()) == [jobs[1]], "only the failed shard's logs"
    entry = failed_shard_entry(tmp_path, 1)
    assert entry["log"] == str(logs / jobs[1] / f"{jobs[1]}_0_log.err")
    assert "ShardError" in Path(entry["log"]).read_text()
    text = run_cli("status", f"run_dir={tmp_path}").stdout
    assert f"log: {entry['log']}" in text


def wait_jobs_ended(backend_name: str, ids: list[str], timeout: float = 120) -> None:
    backend = get_backend(backend_name)
    t0 = time.monotonic()
    while any(s in ACTIVE for s in backend.query(ids).values()):
        assert time.monotonic() - t0 < timeout, "the jobs did not end"
        time.sleep(0.5)


@pytest.mark.parametrize("cluster", ["slurm", "sge"])
def test_split_array_logs_status_path_and_clean_logs_after_launch_returned(request, tmp_path, cluster):
    """Shards 0-1 go to array A, 2-3 to array B (max_array_size=2); shard 3 (B_1) fails. The launch returns at
    once, so the launcher cannot clean up: the next launch (SLURM) or status call (Grid Engine) does."""
    request.getfixturevalue(f"{cluster}_cluster")
    args = [
        "stage=noop",
        f"run_dir={tmp_path}",
        f"cluster={cluster}",
        "shards=4",
        "noop.count=4",
        "cluster.max_array_size=2",
        "noop.fail_shards=[3]",
        "clean_logs=success",
    ]
    assert run_cli("launch", *args).returncode == 0
    jobs = jobs_of(tmp_path)
    a, b = jobs[0].split("_")[0], jobs[2].split("_")[0]
    assert a != b and jobs == {0: f"{a}_0", 1: f"{a}_1", 2: f"{b}_0", 3: f"{b}_1"}, "indices re-based"
    wait_jobs_ended(cluster, list(jobs.values()))
    logs = tmp_path / "logs" / "noop"
    assert (logs / jobs[0]).is_dir(), "nothing cleaned yet"

    if cluster == "slurm":  # relaunching (shard 3 fails again) cleans what finished before
        again = run_cli("launch", *args)
        assert again.returncode == 0 and "4 shards, 3 complete, 1 to run" in again.stdout
        wait_jobs_ended(cluster, [jobs_of(tmp_path)[3]])
    stages = status.gather(tmp_path)["stages"]  # status cleans too
    assert [(s["stage"], s["shards"], s["done"], s["failed"]) for s in stages] == [("noop", 4, 3, 1)], (
        "one stage"
    )
    entry = failed_shard_entry(tmp_path, 3)
    last = jobs_of(tmp_path)[3]
    assert entry["job_id"] == last and entry["log"] == str(logs / last / f"{last}_0_log.err")
    assert "noop.fail_shards" in Path(entry["log"]).read_text()
    left = sorted(p.name for p in logs.iterdir() if p.is_dir() and p.name != "_sge")
    assert set(left) == {b, f"{b}_1", last, last.split("_")[0]}, left
    assert not (logs / a).exists(), "array A's script goes with its last task's logs"
    assert not [p for p in logs.glob(".submission_file_*") if not p.exists()], "no dangling links"
