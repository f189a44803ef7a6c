"""jobs/launch.py and jobs/status.py with cluster=sge on the real one-machine Grid Engine."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from herbproc import config
from hpc.sge.backend import SgeBackend, max_aj_tasks

pytestmark = pytest.mark.sge

SGE_SH = REPO / "hpc" / "localcluster" / "sge.sh"


def noop_args(run_dir: Path, *extra: str) -> list[str]:
    return [
        "stage=noop",
        f"run_dir={run_dir}",
        "cluster=sge",
        "cluster.poll_s=1",
        "progress_interval_s=2",
        *extra,
    ]


def jobs_of(run_dir: Path, stage: str = "noop") -> list[dict]:
    return json.loads((run_dir / "state" / stage / "jobs.json").read_text())["submissions"]


def markers(run_dir: Path, stage: str = "noop") -> list[Path]:
    return sorted((run_dir / "state" / stage / "shards").glob("*.done.json"))


def status_json(run_dir: Path) -> dict:
    proc = run_cli("status", f"run_dir={run_dir}", "format=json")
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_array_of_8_shards_runs_and_status_shows_it(sge_cluster, tmp_path):
    proc = run_cli("launch", *noop_args(tmp_path, "shards=8", "noop.count=40", "wait=true"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "submitted 8 shard(s) as sge job array(s)" in proc.stdout and "done: 8 shard(s)" in proc.stdout
    assert len(markers(tmp_path)) == 8
    assert len(list((tmp_path / "noop" / "items").iterdir())) == 40
    jobs = jobs_of(tmp_path)[0]
    assert jobs["backend"] == "sge"
    ids = [jobs["jobs"][str(i)] for i in range(8)]
    number = ids[0].split("_")[0]
    assert ids == [f"{number}_{i}" for i in range(8)], "one array, tasks numbered from 0"
    for jid in ids:  # where hpc/status.py looks for a shard's logs
        assert (tmp_path / "logs" / "noop" / jid / f"{jid}_0_log.err").exists()
    st = status_json(tmp_path)["stages"][0]
    assert (st["stage"], st["backend"], st["done"], st["items_done"]) == ("noop", "sge", 8, 40)
    text = run_cli("status", f"run_dir={tmp_path}")
    assert text.returncode == 0 and re.search(r"noop\s+done\s+8\s+8\s+0\s+0\s+0", text.stdout), text.stdout


def test_failing_shard_is_reported_with_its_traceback_then_relaunch_runs_only_it(sge_cluster, tmp_path):
    args = ("shards=4", "noop.count=8", "wait=true")
    proc = run_cli("launch", *noop_args(tmp_path, *args, "noop.fail_shards=[2]"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 of 4 shard(s) failed" in proc.stdout
    assert "shard 2" in proc.stdout and "ShardError: shard 2 was told to fail" in proc.stdout
    assert re.search(r"log: \S+/logs/noop/\d+_2/\d+_2_0_log\.err", proc.stdout), proc.stdout
    status = run_cli("status", f"run_dir={tmp_path}")
    assert status.returncode == 1 and "FAILED" in status.stdout and "noop.fail_shards" in status.stdout

    again = run_cli("launch", *noop_args(tmp_path, *args))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "4 shards, 3 complete, 1 to run (sge)" in again.stdout
    last = jobs_of(tmp_path)[-1]["jobs"]
    assert list(last) == ["2"], "only the failed shard was submitted"
    assert len(markers(tmp_path)) == 4


def test_refused_submission_ends_with_one_error_line_and_no_job_record(sge_cluster, tmp_path):
    proc = run_cli("launch", *noop_args(tmp_path, "shards=2", "cluster.project=no_such_project"))
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1].startswith("error: qsub refused the job")
    assert 'project "no_such_project" does not exist' in proc.stderr
    assert not (tmp_path / "state" / "noop" / "jobs.json").exists()


def test_second_launch_while_queued_is_refused(sge_cluster, tmp_path):
    args = ("shards=2", "noop.count=6", "noop.sleep_s=1")
    proc = run_cli("launch", *noop_args(tmp_path, *args))
    assert proc.returncode == 0, proc.stderr
    try:
        again = run_cli("launch", *noop_args(tmp_path, *args))
        assert again.returncode == 3, again.stdout + again.stderr
        assert "already running" in again.stderr and "qdel" in again.stderr
    finally:
        SgeBackend().cancel([j for s in jobs_of(tmp_path) for j in s["jobs"].values()])


def test_array_larger_than_the_configured_limit_is_split(sge_cluster, tmp_path):
    proc = run_cli(
        "launch", *noop_args(tmp_path, "shards=7", "noop.count=7", "cluster.max_array_size=3", "wait=true")
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ids = list(jobs_of(tmp_path)[0]["jobs"].values())
    assert len({j.split("_")[0] for j in ids}) == 3
    assert sorted(int(j.split("_")[1]) for j in ids if "_" in j) == [0, 0, 1, 1, 2, 2], "indices re-based"
    assert len(markers(tmp_path)) == 7


@contextlib.contextmanager
def scheduler_array_limit(limit: int):
    """Set the cluster's max_aj_tasks (through hpc/localcluster/sge.sh, keeping its slots), restore it after."""
    if os.geteuid() != 0:
        pytest.skip("changing max_aj_tasks needs root")
    old = max_aj_tasks() or 0
    slots = subprocess.run(["qconf", "-sq", "all.q"], capture_output=True, text=True, check=True).stdout
    env = {**os.environ, "SGE_SLOTS": re.search(r"^slots\s+(\d+)", slots, re.M).group(1)}
    subprocess.run(["bash", str(SGE_SH), "start"], env={**env, "SGE_MAX_AJ_TASKS": str(limit)}, check=True)
    try:
        yield
    finally:
        subprocess.run(["bash", str(SGE_SH), "start"], env={**env, "SGE_MAX_AJ_TASKS": str(old)}, check=True)


def test_array_larger_than_the_schedulers_max_aj_tasks_is_split(sge_cluster, tmp_path):
    cfg = config.compose(noop_args(tmp_path, "shards=5"))
    with scheduler_array_limit(2):
        assert SgeBackend().max_array_size(cfg) == 2  # cluster.max_array_size is 1000
        rejected = subprocess.run(["qsub", "-t", "1-3", "-b", "y", "true"], capture_output=True, text=True)
        assert rejected.returncode != 0 and "more than 2 tasks" in rejected.stderr
        proc = run_cli("launch", *noop_args(tmp_path, "shards=5", "noop.count=5", "wait=true"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ids = list(jobs_of(tmp_path)[0]["jobs"].values())
    assert len({j.split("_")[0] for j in ids}) == 3
    assert len(markers(tmp_path)) == 5
    assert max_aj_tasks() != 2, "the scheduler's limit was restored"


def test_pipeline_stages_wait_through_hold_jid(sge_cluster, tmp_path):
    """The report (one job) is held until the noop array has ended: it can only show all shards done if so."""
    proc = run_cli(
        "launch",
        "stage=pipeline",
        f"run_dir={tmp_path}",
        "cluster=sge",
        "cluster.poll_s=1",
        "data=none",
        "pipeline.stages=[noop,report]",
        "shards=3",
        "noop.count=6",
        "noop.sleep_s=0.5",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    noop_ids = list(jobs_of(tmp_path)[0]["jobs"].values())
    report_id = jobs_of(tmp_path, "report")[0]["jobs"]["0"]
    shown = subprocess.run(["qstat", "-j", report_id], capture_output=True, text=True).stdout
    if shown:  # unless the report already ran
        assert re.search(rf"jid_predecessor_list.*\b{noop_ids[0].split('_')[0]}\b", shown), shown
    page = tmp_path / "report" / "index.html"
    t0 = time.monotonic()
    while not markers(tmp_path, "report"):  # the shard's marker is written after its page
        assert time.monotonic() - t0 < 180, "the report never came"
        time.sleep(0.5)
    noop_end = max(json.loads(p.read_text())["finished"] for p in markers(tmp_path))
    report_start = json.loads(markers(tmp_path, "report")[0].read_text())["started"]
    assert report_start >= noop_end
    assert "3/3" in page.read_text()


def test_a_stage_that_steps_aside_on_grid_engine_is_skipped_not_failed(sge_cluster, tmp_path):
    proc = run_cli("launch", *noop_args(tmp_path, "shards=2", "noop.count=4", "noop.skip=no labels", "wait=true"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "[noop] skipped: no labels" in proc.stdout
    stage = status_json(tmp_path)["stages"][0]
    assert (stage["state"], stage["skipped"], stage["done"]) == ("skipped", "no labels", 2)
