"""Job arrays on the real one-machine SLURM through jobs/launch.py: kill, relaunch, status, pipelines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import run_cli

pytestmark = pytest.mark.slurm


def noop_args(run_dir: Path, *extra: str) -> list[str]:
    return [
        "stage=noop",
        f"run_dir={run_dir}",
        "cluster=slurm",
        "cluster.poll_s=1",
        "progress_interval_s=2",
        *extra,
    ]


def wait_for(predicate, timeout: float = 120, what: str = "condition"):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def status_json(run_dir: Path) -> dict:
    proc = run_cli("status", f"run_dir={run_dir}", "format=json")
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def journal_ids(run_dir: Path, stage: str, index: int) -> list[str]:
    path = run_dir / "state" / stage / "shards" / f"shard-{index:05d}.items.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["id"] for line in path.read_text().splitlines() if '"status": "ok"' in line]


def outputs(run_dir: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((run_dir / "noop" / "items").iterdir())}


def test_array_of_8_killed_shard_relaunch_runs_only_that_shard(slurm_cluster, tmp_path):
    reference, run = tmp_path / "reference", tmp_path / "run"
    args = ["shards=8", "noop.count=64", "noop.sleep_s=0.4"]
    proc = run_cli("launch", *noop_args(run, *args))
    assert proc.returncode == 0, proc.stderr
    assert "submitted 8 shard(s) as slurm job array(s)" in proc.stdout
    assert "status: python jobs/status.py" in proc.stdout
    jobs = json.loads((run / "state" / "noop" / "jobs.json").read_text())["submissions"][0]["jobs"]
    assert len({j.split("_")[0] for j in jobs.values()}) == 1, "one array for the stage"

    # kill -9 shard 3's process in the middle of its items (its pid is in the shard lock it holds)
    wait_for(lambda: len(journal_ids(run, "noop", 3)) >= 2, what="shard 3 to be half-way")
    pid = int((run / "state" / "noop" / "shards" / "shard-00003.lock").read_text().split()[0])
    os.kill(pid, signal.SIGKILL)
    wait_for(
        lambda: all(s["running"] == 0 and s["pending"] == 0 for s in status_json(run)["stages"]),
        what="the array to end",
    )
    stage = status_json(run)["stages"][0]
    assert stage["done"] == 7 and stage["failed"] == 1
    assert stage["failed_shards"][0]["shard"] == 3
    before = journal_ids(run, "noop", 3)
    assert 2 <= len(before) < 8

    proc = run_cli("launch", *noop_args(run, *args, "wait=true"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "8 shards, 7 complete, 1 to run (slurm)" in proc.stdout
    after = journal_ids(run, "noop", 3)
    assert after[: len(before)] == before and len(after) == 8 and len(set(after)) == 8, "no item redone"

    proc = run_cli("launch", *noop_args(reference, *args, "wait=true"))
    assert proc.returncode == 0, proc.stderr
    assert outputs(run) == outputs(reference)
    assert len(outputs(run)) == 64


def test_failing_shard_reported_with_traceback_and_status(slurm_cluster, tmp_path):
    proc = run_cli(
        "launch",
        *noop_args(
            tmp_path,
            "shards=4",
            "noop.count=8",
            "noop.fail_shards=[2]",
            "noop.fail_items=[item00001]",
            "wait=true",
        ),
    )
    assert proc.returncode == 1
    assert "shard 2" in proc.stdout and "noop.fail_shards" in proc.stdout
    assert "log: " in proc.stdout and "_log.err" in proc.stdout
    text = run_cli("status", f"run_dir={tmp_path}")
    assert text.returncode == 1
    assert "FAILED" in text.stdout and "ShardError" in text.stdout and "poisoned (1)" in text.stdout


def test_second_launch_while_running_is_refused(slurm_cluster, tmp_path):
    proc = run_cli("launch", *noop_args(tmp_path, "shards=2", "noop.count=10", "noop.sleep_s=0.5"))
    assert proc.returncode == 0, proc.stderr
    again = run_cli("launch", *noop_args(tmp_path, "shards=2", "noop.count=10", "noop.sleep_s=0.5"))
    assert again.returncode == 3
    assert "already running" in again.stderr and "scancel" in again.stderr
    wait_for(lambda: status_json(tmp_path)["stages"][0]["done"] == 2, what="the stage to finish")


def test_status_shows_done_failed_running_and_pending(slurm_cluster, tmp_path):
    proc = run_cli(
        "launch",
        *noop_args(
            tmp_path,
            "shards=5",
            "noop.count=25",
            "noop.sleep_s=0.6",
            "noop.fail_shards=[0]",
            "cluster.array_parallelism=1",
        ),
    )
    assert proc.returncode == 0, proc.stderr

    def mixed():
        st = status_json(tmp_path)["stages"][0]
        return st if st["done"] >= 1 and st["failed"] >= 1 and st["pending"] >= 1 else None

    st = wait_for(mixed, what="a mix of done, failed and pending shards")
    assert st["done"] + st["failed"] + st["running"] + st["pending"] == 5
    assert st["items_done"] >= 5
    text = run_cli("status", f"run_dir={tmp_path}").stdout
    assert "noop" in text and "FAILED" in text
    wait_for(
        lambda: (
            status_json(tmp_path)["stages"][0]["pending"] == 0
            and status_json(tmp_path)["stages"][0]["running"] == 0
        ),
        what="the end",
    )


def test_array_larger_than_limit_is_split(slurm_cluster, tmp_path):
    proc = run_cli(
        "launch", *noop_args(tmp_path, "shards=7", "noop.count=7", "cluster.max_array_size=3", "wait=true")
    )
    assert proc.returncode == 0, proc.stderr
    jobs = json.loads((tmp_path / "state" / "noop" / "jobs.json").read_text())["submissions"][0]["jobs"]
    arrays = {j.split("_")[0] for j in jobs.values()}
    assert len(arrays) == 3
    tasks = [int(j.split("_")[1]) for j in jobs.values() if "_" in j]  # a one-shard rest is a plain job
    assert sorted(tasks) == [0, 0, 1, 1, 2, 2], "indices re-based per array"
    assert len(list((tmp_path / "noop" / "items").iterdir())) == 7
    st = status_json(tmp_path)["stages"][0]
    assert st["done"] == 7 and st["shards"] == 7


def test_pipeline_chained_by_afterok_dependency(slurm_cluster, tmp_path):
    """The report (one job) must wait for the slow noop array: it can only show all shards done if it did."""
    proc = run_cli(
        "launch",
        "stage=pipeline",
        f"run_dir={tmp_path}",
        "cluster=slurm",
        "cluster.poll_s=1",
        "data=none",
        "pipeline.stages=[noop,report]",
        "shards=3",
        "noop.count=6",
        "noop.sleep_s=1.0",
    )
    assert proc.returncode == 0, proc.stderr
    assert "[noop] submitted 3 shard(s)" in proc.stdout and "[report] submitted 1 shard(s)" in proc.stdout
    noop_jobs = json.loads((tmp_path / "state" / "noop" / "jobs.json").read_text())["submissions"][0]["jobs"]
    report_job = json.loads((tmp_path / "state" / "report" / "jobs.json").read_text())["submissions"][0][
        "jobs"
    ]["0"]
    # the dependency is visible while the report waits
    show = subprocess.run(["scontrol", "show", "job", report_job], capture_output=True, text=True).stdout
    array = next(iter(noop_jobs.values())).split("_")[0]
    assert f"afterok:{array}" in show.replace("(unfulfilled)", "").replace("_*", "")
    report_marker = tmp_path / "state" / "report" / "shards" / "shard-00000.done.json"
    wait_for(report_marker.exists, timeout=180, what="the report")  # the marker is written after the page
    page = (tmp_path / "report" / "index.html").read_text()
    assert "3/3" in page and 'id="noop"' in page
    noop_end = max(
        json.loads((tmp_path / "state" / "noop" / "shards" / f"shard-{i:05d}.done.json").read_text())[
            "finished"
        ]
        for i in range(3)
    )
    report_start = json.loads(
        (tmp_path / "state" / "report" / "shards" / "shard-00000.done.json").read_text()
    )["started"]
    assert report_start >= noop_end


def test_failed_stage_in_waited_pipeline_cancels_the_rest(slurm_cluster, tmp_path):
    proc = run_cli(
        "launch",
        "stage=pipeline",
        f"run_dir={tmp_path}",
        "cluster=slurm",
        "cluster.poll_s=1",
        "data=none",
        "pipeline.stages=[noop,report]",
        "shards=2",
        "noop.count=2",
        "noop.fail_shards=[1]",
        "wait=true",
    )
    assert proc.returncode == 1
    assert "cancelling the stages after it" in proc.stdout
    assert not (tmp_path / "report" / "index.html").exists()


def test_refused_submission_is_one_clear_error(slurm_cluster, tmp_path):
    proc = run_cli("launch", *noop_args(tmp_path, "cluster.partition=nosuchpartition"))
    assert proc.returncode == 1
    assert "error: slurm refused the submission of stage noop" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_gpu_asked_of_a_cluster_without_one_is_refused_with_what_to_change(slurm_cluster, tmp_path):
    # the one-machine cluster has no GPU (no gres): sbatch refuses, and the line says what the stage asked for
    proc = run_cli("launch", *noop_args(tmp_path, "stage.gpus=1"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: slurm refused the submission of stage noop")
    assert "each job of stage noop asks for 1 CPU(s), 1 GB and 1 GPU(s)" in last and "per_stage.noop" in last
    again = run_cli("launch", *noop_args(tmp_path, "stage.gpus=1", "per_stage.noop.stage.gpus=0", "wait=true"))
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_stage_that_steps_aside_on_slurm_is_skipped_not_failed(slurm_cluster, tmp_path):
    proc = run_cli("launch", *noop_args(tmp_path, "shards=2", "noop.count=4", "noop.skip=no labels", "wait=true"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "[noop] skipped: no labels" in proc.stdout
    stage = status_json(tmp_path)["stages"][0]
    assert (stage["state"], stage["skipped"], stage["done"]) == ("skipped", "no labels", 2)
