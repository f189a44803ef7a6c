"""Preemption, requeue and time limits on the real one-machine SLURM and Grid Engine (stage=noop).

Each test runs one shard, interrupts it part-way, and checks that the requeued job resumed from the shard's
journal: every item is journaled exactly once (the journal is append-only, so a redone item would show twice),
the items finished before the interruption kept their place, and status never showed the shard as failed.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest
from conftest import run_cli

from herbproc import config
from herbproc import shard as shard_mod
from herbproc.paths import RunPaths
from hpc import launcher, status
from hpc.task import ShardTask

SHARD = "shard-00000"


def noop_args(run_dir: Path, cluster: str, *extra: str) -> list[str]:
    return ["stage=noop", f"run_dir={run_dir}", f"cluster={cluster}", "cluster.poll_s=1", "shards=1", *extra]


def journal_ids(run_dir: Path) -> list[str]:
    path = run_dir / "state" / "noop" / "shards" / f"{SHARD}.items.jsonl"
    if not path.exists():
        return []
    entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [e["id"] for e in entries if e["status"] == "ok"]


def job_id(run_dir: Path) -> str:
    return json.loads((run_dir / "state" / "noop" / "jobs.json").read_text())["submissions"][-1]["jobs"]["0"]


def log_text(run_dir: Path, jid: str) -> str:
    """The shard's log, where jobs/status.py points for this job."""
    return "".join(p.read_text() for p in status.log_files(RunPaths(run_dir), "noop", jid))


def wait_until(predicate, run_dir: Path, timeout: float, what: str):
    """Poll ``predicate``; meanwhile status must never call the shard failed (a requeue is no failure)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        value = predicate()
        if value:
            return value
        stage = status.gather(run_dir)["stages"][0]
        assert stage["failed"] == 0, f"status called a requeued shard failed: {stage['failed_shards']}"
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def finished(run_dir: Path) -> bool:
    return (run_dir / "state" / "noop" / "shards" / f"{SHARD}.done.json").exists()


def check_resumed(run_dir: Path, before: list[str], count: int) -> str:
    """Every item once, the early ones untouched, two or more starts, no failure record. Returns the log."""
    after = journal_ids(run_dir)
    assert len(after) == len(set(after)) == count, "each item journaled exactly once"
    assert after[: len(before)] == before, "items finished before the interruption were not redone"
    log = log_text(run_dir, job_id(run_dir))
    assert log.count("stage noop shard 0/1") >= 2, log[-3000:]
    skipped = [int(n) for n in re.findall(r"(\d+) already finished", log)]
    assert skipped[0] == 0 and skipped[-1] >= max(len(before), 1), "the rerun skipped the journaled items"
    assert not (run_dir / "state" / "noop" / "shards" / f"{SHARD}.failed.json").exists()
    stage = status.gather(run_dir)["stages"][0]
    assert (stage["done"], stage["failed"], stage["items_done"]) == (1, 0, count)
    return log


def test_checkpoint_runs_the_preemption_hooks_and_requeues_the_same_shard(tmp_path):
    cfg = config.plain(config.compose(["stage=noop", f"run_dir={tmp_path}", "shards=4"]))
    calls = []
    unregister = shard_mod.on_preempt(lambda: calls.append("saved"))
    try:
        delayed = ShardTask(cfg).checkpoint(3)
    finally:
        unregister()
    assert calls == ["saved"]
    assert delayed.args == (3,) and isinstance(delayed.function, ShardTask)


@pytest.mark.slurm
def test_slurm_partition_preemption_checkpoints_and_resumes(slurm_cluster, tmp_path):
    """A whole-node job in partition `high` preempts the shard in `debug`; SLURM sends it USR2
    (preempt_send_user_signal), the shard checkpoints, is requeued, and resumes from its journal.
    timeout_min=60: submitit counts a signal as a time-out, not a preemption, in short jobs."""
    run = tmp_path / "run"
    count = 30
    args = ["cluster.partition=debug", "stage.timeout_min=60", f"noop.count={count}", "noop.sleep_s=0.4"]
    proc = run_cli("launch", *noop_args(run, "slurm", *args))
    assert proc.returncode == 0, proc.stderr
    wait_until(lambda: len(journal_ids(run)) >= 4, run, 90, "the shard to be under way")
    before = journal_ids(run)
    high = subprocess.run(
        ["sbatch", "--parsable", "-p", "high", "--exclusive", "-o", "/dev/null", "--wrap", "sleep 1"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.strip()
    try:
        wait_until(
            lambda: "checkpointing and requeueing" in log_text(run, job_id(run)), run, 60, "the signal"
        )
        wait_until(lambda: finished(run), run, 150, "the requeued shard to finish")
    finally:
        subprocess.run(["scancel", high], capture_output=True)
    log = check_resumed(run, before, count)
    assert "this job is preempted" in log and "Calling checkpoint method" in log

    def runs() -> list[str]:  # one accounting line per run of the job
        cmd = ["sacct", "-D", "-X", "-n", "-P", "-o", "State", "-j", job_id(run)]
        states = subprocess.run(cmd, capture_output=True, text=True).stdout.split()
        return states if "COMPLETED" in states else []

    states = wait_until(runs, run, 30, "the accounting record of the last run")
    assert {"PREEMPTED", "REQUEUED"} & set(states), states


@pytest.mark.slurm
def test_slurm_plain_requeue_restarts_and_resumes_from_the_journal(slurm_cluster, tmp_path):
    """`scontrol requeue` kills the job without calling checkpoint(): the rerun resumes from the journal."""
    run = tmp_path / "run"
    count = 30
    proc = run_cli("launch", *noop_args(run, "slurm", f"noop.count={count}", "noop.sleep_s=0.4"))
    assert proc.returncode == 0, proc.stderr
    wait_until(lambda: len(journal_ids(run)) >= 4, run, 90, "the shard to be under way")
    before = journal_ids(run)
    subprocess.run(["scontrol", "requeue", job_id(run)], check=True, capture_output=True)
    wait_until(lambda: finished(run), run, 150, "the requeued shard to finish")
    log = check_resumed(run, before, count)
    assert "Calling checkpoint method" not in log


@pytest.mark.sge
def test_sge_qmod_rj_reschedules_the_shard_which_resumes(sge_cluster, tmp_path):
    run = tmp_path / "run"
    count = 16
    proc = run_cli("launch", *noop_args(run, "sge", f"noop.count={count}", "noop.sleep_s=0.5"))
    assert proc.returncode == 0, proc.stderr
    wait_until(lambda: len(journal_ids(run)) >= 3, run, 90, "the shard to be under way")
    before = journal_ids(run)
    subprocess.run(["qmod", "-rj", job_id(run)], check=True, capture_output=True)
    wait_until(lambda: finished(run), run, 120, "the rescheduled shard to finish")
    log = check_resumed(run, before, count)
    assert "restarted 1" in log


@pytest.mark.sge
def test_sge_time_limit_checkpoints_and_the_rerun_resumes(sge_cluster, tmp_path):
    """h_rt=16 s, the job's own timer warns it 6 s before: checkpoint(), exit 99, Grid Engine reruns it.

    13 s of items: the warning comes during the first run; a slow rerun may be warned again (up to
    submitit's max_num_timeout), which changes nothing below.
    """
    run = tmp_path / "run"
    count = 26
    cfg = config.plain(config.compose(noop_args(run, "sge", f"noop.count={count}", "noop.sleep_s=0.5")))
    cfg.stage.timeout_min = 16 / 60  # below the schema's whole minutes: a short test
    cfg.cluster.signal_delay_s = 6
    launcher.launch_stage(cfg)
    wait_until(lambda: finished(run), run, 120, "the shard to finish after its time-limit requeue")
    log = check_resumed(run, [], count)
    assert "Exiting with status 99" in log and "checkpointing and requeueing" in log
    assert "restarted 1" in log
