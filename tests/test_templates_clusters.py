"""Rendered job scripts on the real one-machine schedulers: a hostile run_dir runs no command, and a dry run
prints exactly the script that a launch then submits."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli
from test_templates import HOSTILE, hydra_quoted


@pytest.mark.parametrize("cluster", ["slurm", "sge"])
def test_hostile_run_dir_runs_no_command_and_dry_run_shows_the_submitted_script(request, tmp_path, cluster):
    request.getfixturevalue(f"{cluster}_cluster")
    run_dir = tmp_path / HOSTILE
    args = [
        "stage=noop",
        f"run_dir={hydra_quoted(str(run_dir))}",
        f"cluster={cluster}",
        "shards=2",
        "noop.count=4",
        "cluster.poll_s=1",
    ]
    dry = run_cli("launch", *args, "dry_run=true", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert not run_dir.exists()

    proc = run_cli("launch", *args, "wait=true", cwd=tmp_path)  # jobs start in this folder too
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.name for p in (run_dir / "noop" / "items").iterdir()) == [
        f"item{i:05d}.txt" for i in range(4)
    ]
    assert not [p for p in tmp_path.rglob("PWNED*") if p.is_file()], "a command in run_dir ran"

    jobs = json.loads((run_dir / "state" / "noop" / "jobs.json").read_text())["submissions"][0]["jobs"]
    number = jobs["0"].split("_")[0]
    submitted = (run_dir / "logs" / "noop" / number / f"{number}_submission.sh").read_text()
    assert submitted.rstrip("\n") in dry.stdout, "the dry run printed the script that was submitted"
