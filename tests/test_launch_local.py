"""jobs/launch.py with the local executor: shards, poisoned items, the launch lock, status, pipelines."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from conftest import PYTHON, REPO, run_cli


def test_local_run_with_poisoned_item_then_relaunch_does_nothing(tmp_path):
    args = ["stage=noop", f"run_dir={tmp_path}", "shards=3", "noop.count=12", "noop.fail_items=[item00005]"]
    proc = run_cli("launch", *args)
    assert proc.returncode == 0, proc.stderr
    assert "1 failed item(s)" in proc.stdout
    assert len(list((tmp_path / "noop" / "items").iterdir())) == 11
    fin = json.loads((tmp_path / "state" / "noop" / "finalized.json").read_text())
    assert (fin["items"], fin["failed"]) == (12, 1)
    again = run_cli("launch", *args)
    assert again.returncode == 0 and "nothing to do" in again.stdout


def test_failed_shard_exit_code_and_rerun_finishes_it(tmp_path):
    base = ["stage=noop", f"run_dir={tmp_path}", "shards=3", "noop.count=9"]
    proc = run_cli("launch", *base, "noop.fail_shards=[1]")
    assert proc.returncode == 1
    assert "shard 1" in proc.stdout and "FAILED" in proc.stdout and "noop.fail_shards" in proc.stdout
    status = run_cli("status", f"run_dir={tmp_path}", "format=json")
    st = json.loads(status.stdout)["stages"][0]
    assert (st["done"], st["failed"], st["pending"]) == (2, 1, 0)
    fixed = run_cli("launch", *base)
    assert fixed.returncode == 0
    assert "3 shards, 2 complete, 1 to run (local)" in fixed.stdout


def test_status_shows_a_shards_peak_memory_and_time_beside_what_was_asked(tmp_path):
    proc = run_cli("launch", "stage=noop", f"run_dir={tmp_path}", "shards=2", "noop.hold_mb=300", "stage.mem_gb=2",
                   "stage.timeout_min=45")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    st = json.loads(run_cli("status", f"run_dir={tmp_path}", "format=json").stdout)["stages"][0]
    assert 300 / 1024 <= st["peak_memory_gb"] < 2 and st["memory_asked_gb"] == 2  # the 300 MB held, and Python
    text = run_cli("status", f"run_dir={tmp_path}").stdout
    assert f"peak memory of a shard: {st['peak_memory_gb']:.2f} GB of the 2 GB asked (stage.mem_gb)" in text
    assert 0 < st["slowest_shard_s"] < 60 and st["time_asked_min"] == 45
    assert "slowest shard: " in text and " of the 45 min asked (stage.timeout_min)" in text


def test_changing_shard_count_after_progress_is_refused(tmp_path):
    assert run_cli("launch", "stage=noop", f"run_dir={tmp_path}", "shards=2", "noop.count=4").returncode == 0
    proc = run_cli("launch", "stage=noop", f"run_dir={tmp_path}", "shards=3", "noop.count=4")
    assert proc.returncode == 1 and "planned with shards=2" in proc.stderr


def test_two_local_launches_do_not_both_run(tmp_path):
    args = ["stage=noop", f"run_dir={tmp_path}", "shards=1", "noop.count=10", "noop.sleep_s=0.3"]
    first = subprocess.Popen(
        [PYTHON, str(REPO / "jobs" / "launch.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        t0 = time.monotonic()
        while not (tmp_path / "state" / "noop" / "jobs.json").exists() and time.monotonic() - t0 < 60:
            time.sleep(0.1)
        second = run_cli("launch", *args)
        assert second.returncode == 3
        assert "already being launched or run" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
    finally:
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    journal = (tmp_path / "state" / "noop" / "shards" / "shard-00000.items.jsonl").read_text().splitlines()
    done = [json.loads(line)["id"] for line in journal if json.loads(line)["status"] == "ok"]
    assert len(done) == len(set(done)) == 10, "each item done exactly once"


def test_status_errors(tmp_path):
    missing = run_cli("status", f"run_dir={tmp_path / 'nope'}")
    assert missing.returncode == 2 and "no run directory" in missing.stderr
    bad = run_cli("status", f"run_dir={tmp_path}", "format=xml")
    assert bad.returncode == 2 and "choices: text, json" in bad.stderr
    unknown = run_cli("status", f"run_dir={tmp_path}", "colour=red")
    assert unknown.returncode == 2 and "colour" in unknown.stderr
    assert run_cli("status").returncode == 2


def test_local_pipeline_runs_stages_in_order(tmp_path):
    proc = run_cli(
        "launch",
        "stage=pipeline",
        f"run_dir={tmp_path}",
        "data=none",
        "pipeline.stages=[noop]",
        "noop.count=3",
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "state" / "noop" / "finalized.json").exists()
    bad = run_cli("launch", "stage=pipeline", f"run_dir={tmp_path}", "pipeline.stages=[noop,bogus]")
    assert bad.returncode == 2 and "unknown stage bogus" in bad.stderr


def test_a_stage_that_steps_aside_is_skipped_with_its_reason_not_failed(tmp_path):
    args = ["stage=noop", f"run_dir={tmp_path}", "shards=2", "noop.count=4", "noop.skip=no labels in this download"]
    proc = run_cli("launch", *args)
    assert proc.returncode == 0, proc.stderr
    assert "[noop] skipped: no labels in this download" in proc.stdout
    summary = json.loads((tmp_path / "noop" / "summary.json").read_text())
    assert (summary["state"], summary["reason"]) == ("skipped", "no labels in this download")
    assert not (tmp_path / "noop" / "items").exists()
    st = json.loads(run_cli("status", f"run_dir={tmp_path}", "format=json").stdout)["stages"][0]
    assert (st["state"], st["skipped"], st["done"], st["failed"]) == ("skipped", "no labels in this download", 2, 0)
    text = run_cli("status", f"run_dir={tmp_path}").stdout
    assert "skipped: no labels in this download" in text and " skipped " in text
    again = run_cli("launch", *args)
    assert again.returncode == 0 and "skipped earlier" in again.stdout and "stage.rerun=true" in again.stdout
    report = run_cli("launch", "stage=report", f"run_dir={tmp_path}")
    assert report.returncode == 0, report.stderr
    page = (tmp_path / "report" / "index.html").read_text()
    assert "Skipped:</b> no labels in this download" in page


def test_strict_pipeline_turns_a_skip_into_a_failure(tmp_path):
    proc = run_cli(
        "launch", "stage=noop", f"run_dir={tmp_path}", "noop.count=2", "noop.skip=nothing to do",
        "pipeline.strict=true",
    )  # fmt: skip
    assert proc.returncode == 1
    assert "FAILED" in proc.stdout and "nothing to do (pipeline.strict=true)" in proc.stdout
    st = json.loads(run_cli("status", f"run_dir={tmp_path}", "format=json").stdout)["stages"][0]
    assert st["state"] == "failed" and st["skipped"] is None


def test_rerun_while_the_stage_runs_deletes_nothing(tmp_path, monkeypatch):
    from herbproc.config import compose
    from herbproc.io import atomic_write_json
    from herbproc.paths import RunPaths
    from herbproc.shard import execute_shard
    from hpc import launcher
    from hpc.backends import RUNNING

    base = ["stage=noop", f"run_dir={tmp_path}", "shards=2", "noop.count=4"]
    for i in (0, 1):
        execute_shard(compose(base), i)
    paths = RunPaths(tmp_path)
    atomic_write_json(paths.plan("noop"), {"stage": "noop", "shards": 2})
    atomic_write_json(paths.jobs("noop"), {"submissions": [{"backend": "slurm", "jobs": {"0": "77_0", "1": "77_1"}}]})

    class StillRunning:  # the scheduler says the stage's jobs run
        name = "slurm"

        def query(self, ids):
            return {j: RUNNING for j in ids}

        def cancel_hint(self, ids):
            return "scancel 77"

    real = launcher.get_backend
    monkeypatch.setattr(launcher, "get_backend", lambda name: StillRunning() if name == "slurm" else real(name))
    kept = [p for i in (0, 1) for p in (paths.marker("noop", i), paths.journal("noop", i))]
    before = {p: p.read_bytes() for p in kept}
    with pytest.raises(launcher.StageBusy, match="already running .* slurm job"):
        launcher.launch_stage(compose([*base, "stage.rerun=true"]))
    assert {p: p.read_bytes() for p in kept if p.exists()} == before


def test_a_marker_over_outputs_a_crash_lost_is_run_again(tmp_path):
    args = ["stage=noop", f"run_dir={tmp_path}", "shards=2", "noop.count=6"]
    assert run_cli("launch", *args).returncode == 0
    lost = tmp_path / "noop" / "items" / "item00005.txt"
    lost.unlink()  # the node crashed after the marker, before the item's data reached the disk
    proc = run_cli("launch", *args)
    assert proc.returncode == 0, proc.stderr
    assert "[noop shard-00001] 1 of its last 3 finished items have no output (e.g. item00005" in proc.stdout
    assert "2 shards, 1 complete, 1 to run" in proc.stdout
    assert lost.read_text() == "item00005 shard=1\n"
    again = run_cli("launch", *args)
    assert "nothing to do" in again.stdout


def test_a_stage_whose_need_stepped_aside_steps_aside_without_starting_a_job(tmp_path):
    from herbproc.io import atomic_write_json
    from herbproc.paths import RunPaths

    paths = RunPaths(tmp_path)  # train stepped aside in this run
    atomic_write_json(paths.plan("train"), {"stage": "train", "shards": 1})
    atomic_write_json(paths.marker("train", 0), {"stage": "train", "shard": 0, "extra": {"skipped": "one class"}})
    proc = run_cli("launch", "stage=evaluate", f"run_dir={tmp_path}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "[evaluate] skipped: needs stage train, which was skipped" in proc.stdout
    assert paths.marker("evaluate", 0).exists()
    assert not paths.jobs("evaluate").exists(), "no job was submitted for it"
    assert not [p for p in paths.logs("evaluate").glob("*") if p.is_dir()], "nor did one run"
    strict = run_cli("launch", "stage=evaluate", f"run_dir={tmp_path}", "stage.rerun=true", "pipeline.strict=true")
    assert strict.returncode == 1 and "pipeline.strict=true" in strict.stdout, strict.stdout + strict.stderr
