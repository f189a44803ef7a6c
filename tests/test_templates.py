"""Job scripts from sbatch_templates/: dry runs (golden files), shell quoting, refused values. No cluster needed.

Golden files live in tests/golden/; after an intended change of the templates or the dry-run output, rewrite
them with HERBPROC_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from herbproc import config
from herbproc.paths import RunPaths
from hpc import launcher
from hpc.backends import Backend, SlurmBackend, get_backend
from hpc.jobscript import JobScriptError
from hpc.sge.backend import SgeBackend

GOLDEN = REPO / "tests" / "golden"

SLURM_SITE = ["cluster=slurm", "cluster.account='my lab'", "+cluster.additional.mail_type=END"]
SGE_SITE = ["cluster=sge", "cluster.project=mylab", "cluster.queue=short.q", "+cluster.additional.m=ea"]
SETUP = ["cluster.setup=['module load python/3.11','source ~/venvs/herbproc/bin/activate']"]
HOSTILE = "run a$(touch PWNED1);b`touch PWNED2`\"q's; touch PWNED3"


def hydra_quoted(value: str) -> str:
    """A value the command-line grammar reads back as it is (quotes, $( ), backticks...)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@pytest.fixture
def offline(monkeypatch):
    """Array limits from the configuration only (not from whatever scheduler runs on this machine)."""
    monkeypatch.setattr(SlurmBackend, "max_array_size", Backend.max_array_size)
    monkeypatch.setattr(SgeBackend, "max_array_size", Backend.max_array_size)


def dry_run(capsys, run_dir: Path, *overrides: str) -> str:
    assert launcher.launch([f"run_dir={run_dir}", *overrides, "dry_run=true"]) == 0
    out = capsys.readouterr().out
    return out.replace(str(run_dir), "<RUN_DIR>").replace(shlex.quote(sys.executable), "<PYTHON>")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("HERBPROC_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"missing golden file {path} (write it with HERBPROC_UPDATE_GOLDEN=1)"
    assert text == path.read_text(), f"dry-run output differs from {path}"


@pytest.mark.parametrize("site", [SLURM_SITE, SGE_SITE], ids=["slurm", "sge"])
def test_dry_run_of_a_split_stage_matches_golden_and_writes_nothing(offline, capsys, tmp_path, site):
    run_dir = tmp_path / "run"
    out = dry_run(capsys, run_dir, "stage=noop", "shards=5", "cluster.max_array_size=3", *site, *SETUP)
    check_golden(f"dry_run_{site[0].split('=')[1]}_noop.txt", out)
    assert out.count("\n$ ") == 2, "two submissions: shards 0-2, then 3-4 with indices from 0"
    assert "array tasks 0-1 run shard(s) 3-4" in out
    assert not run_dir.exists(), "a dry run writes nothing"


@pytest.mark.parametrize("site", [SLURM_SITE, SGE_SITE], ids=["slurm", "sge"])
def test_dry_run_of_a_pipeline_shows_dependencies_as_placeholders(offline, capsys, tmp_path, site):
    run_dir = tmp_path / "run"
    out = dry_run(
        capsys,
        run_dir,
        "stage=pipeline",
        "data=none",
        "pipeline.stages=[noop,report]",
        "shards=5",
        "cluster.max_array_size=3",
        *site,
    )
    check_golden(f"dry_run_{site[0].split('=')[1]}_pipeline.txt", out)
    wait = (
        "--dependency='afterok:<noop#1>:<noop#2>'" if site is SLURM_SITE else "-hold_jid '<noop#1>,<noop#2>'"
    )
    report = out[out.index("[report]") :]
    assert wait in report and wait not in out[: out.index("[report]")]
    assert not run_dir.exists()


@pytest.mark.parametrize("site", [SLURM_SITE, SGE_SITE], ids=["slurm", "sge"])
def test_a_pipelines_per_stage_settings_reach_that_stages_job_script_only(offline, capsys, tmp_path, site):
    gpu = "#SBATCH --partition=gpu" if site is SLURM_SITE else "#$ -q gpu.q"
    where = "cluster.partition=gpu" if site is SLURM_SITE else "cluster.queue=gpu.q"
    out = dry_run(
        capsys, tmp_path / "run", "stage=pipeline", "data=none", "pipeline.stages=[noop,report]", *site,
        "stage.mem_gb=3", f"per_stage.report.{where}", "per_stage.report.stage.mem_gb=7",
        *([] if site is SLURM_SITE else ["cluster.mem_resource=h_vmem"]),
    )  # fmt: skip
    noop, report = out[: out.index("[report]")], out[out.index("[report]") :]
    assert gpu in report and gpu not in noop
    memory = ("--mem=7168M", "--mem=3072M") if site is SLURM_SITE else ("h_vmem=7G", "h_vmem=3G")
    assert memory[0] in report and memory[1] in noop and memory[0] not in noop


def test_dry_run_skips_finished_shards_and_runs_locally(capsys, tmp_path):
    assert run_cli("launch", "stage=noop", f"run_dir={tmp_path}", "shards=3", "noop.count=3").returncode == 0
    (tmp_path / "state" / "noop" / "shards" / "shard-00001.done.json").unlink()
    before = sorted(p for p in tmp_path.rglob("*"))
    out = dry_run(capsys, tmp_path, "stage=noop", "shards=3", "noop.count=3")
    assert "3 shard(s), 2 complete, 1 to run (local)" in out
    assert "would run shard(s) 1 here" in out and "hpc.localctl" in out
    assert sorted(p for p in tmp_path.rglob("*")) == before, "nothing written"


def test_dry_run_on_the_command_line_exits_0_and_leaves_no_run_dir(tmp_path):
    proc = run_cli(
        "launch", "stage=noop", f"run_dir={tmp_path / 'run'}", "cluster=slurm", "shards=2", "dry_run=true"
    )
    assert proc.returncode == 0, proc.stderr
    assert "#SBATCH --array=0-1%2" in proc.stdout and "$ sbatch " in proc.stdout
    assert not (tmp_path / "run").exists()


def preview(cfg, count: int = 2):
    folder = RunPaths(cfg.run_dir).logs(cfg.stage.name) / "%j"
    return get_backend(cfg.cluster.executor).preview(cfg, folder, count, [])


def stub(path: Path, record: Path) -> Path:
    """An executable that writes its arguments, NUL-separated, to ``record``."""
    path.write_text(f"#!/bin/bash\nprintf '%s\\0' \"$@\" > {shlex.quote(str(record))}\n")
    path.chmod(0o755)
    return path


def recorded(record: Path) -> list[str]:
    return [arg.decode() for arg in record.read_bytes().split(b"\0")[:-1]]


def test_hostile_slurm_values_are_quoted_and_run_no_command(tmp_path):
    cfg = config.compose(["stage=noop", f"run_dir={hydra_quoted(str(tmp_path / HOSTILE))}", "cluster=slurm"])
    hostile = {
        "partition": "debug; touch PWNED4",
        "account": "lab$(touch PWNED5)",
        "qos": "`touch PWNED6`",
        "constraint": "x'y\"z && touch PWNED7",
    }
    for key, value in hostile.items():
        cfg.cluster[key] = value
    cfg.cluster.additional = {"comment": "$(touch PWNED8) | touch PWNED9"}
    cfg.cluster.setup = ["touch SETUP_RAN  # cluster.setup is trusted shell"]
    script = preview(cfg).script
    assert subprocess.run(["bash", "-n"], input=script, text=True).returncode == 0
    sbatch = {}
    for line in script.splitlines():
        if line.startswith("#SBATCH --") and "=" in line:
            flag, _, value = line[len("#SBATCH --") :].partition("=")
            (sbatch[flag],) = shlex.split(value)  # sbatch reads these lines with shell-like quoting
    assert {k: sbatch[k] for k in hostile} == hostile and sbatch["comment"] == cfg.cluster.additional.comment
    folder = f"{tmp_path / HOSTILE}/logs/noop/%j"
    assert sbatch["output"] == f"{tmp_path / HOSTILE}/logs/noop/%A_%a/%A_%a_0_log.out"

    # run the script body as SLURM would, with srun replaced by a recorder
    bindir, work = tmp_path / "bin", tmp_path / "work"
    bindir.mkdir()
    work.mkdir()
    stub(bindir / "srun", tmp_path / "srun.args")
    env = {**os.environ, "PATH": f"{bindir}:{os.environ['PATH']}"}
    subprocess.run(["bash", "-c", script], cwd=work, env=env, check=True)
    args = recorded(tmp_path / "srun.args")
    assert args[-5:] == [sys.executable, "-u", "-m", "submitit.core._submit", folder]
    assert args[:4] == [
        "--unbuffered",
        "--kill-on-bad-exit=1",
        "--output",
        f"{tmp_path / HOSTILE}/logs/noop/%A_%a/%A_%a_%t_log.out",
    ]
    assert sorted(p.name for p in work.iterdir()) == ["SETUP_RAN"], "only the trusted setup line ran"


def test_hostile_run_dir_in_a_grid_engine_script_runs_no_command(tmp_path):
    run_dir = tmp_path / HOSTILE
    python = stub(tmp_path / "python", tmp_path / "python.args")
    cfg = config.compose(
        ["stage=noop", f"run_dir={hydra_quoted(str(run_dir))}", "cluster=sge", f"cluster.python={python}"]
    )
    cfg.cluster.setup = ["touch SETUP_RAN"]
    submission = preview(cfg)
    assert submission.command[:6] == [
        "qsub",
        "-terse",
        "-o",
        f"{run_dir}/logs/noop/_sge/",
        "-e",
        f"{run_dir}/logs/noop/_sge/",
    ]
    assert subprocess.run(["bash", "-n"], input=submission.script, text=True).returncode == 0
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "JOB_ID": "7", "SGE_TASK_ID": "2"}
    subprocess.run(["bash", "-c", submission.script], cwd=work, env=env, check=True)
    assert recorded(tmp_path / "python.args") == [
        "-u",
        "-m",
        "submitit.core._submit",
        f"{run_dir}/logs/noop/%j",
    ]
    assert (run_dir / "logs" / "noop" / "7_1" / "7_1_0_log.err").exists(), "logs where status looks for them"
    assert sorted(p.name for p in work.iterdir()) == ["SETUP_RAN"], "only the trusted setup line ran"


@pytest.mark.parametrize(
    "cluster, change, message",
    [
        ("slurm", {"partition": "debug\ntouch PWNED"}, "partition='debug\\\\ntouch PWNED' has a line break"),
        ("slurm", {"setup": ["module load a\nb"]}, "has a line break"),
        ("slurm", {"account": "a\\b"}, "backslash"),
        ("slurm", {"additional": {"bad flag": 1}}, "is not a scheduler option name"),
        ("sge", {"resources": "h_vmem=1G -q other.q"}, "cannot carry whitespace"),
        ("sge", {"additional": {"m": "ea'"}}, "cannot carry whitespace, quotes"),
        ("sge", {"project": "lab;x"}, "is not a Grid Engine name"),
        ("sge", {"setup": ["a\rb"]}, "has a line break"),
    ],
)
def test_values_that_cannot_go_into_a_script_are_refused(tmp_path, cluster, change, message):
    cfg = config.compose(["stage=noop", f"run_dir={tmp_path}", f"cluster={cluster}"])
    for key, value in change.items():
        cfg.cluster[key] = value
    with pytest.raises((JobScriptError, ValueError, RuntimeError), match=message):
        launcher.launch_stage(cfg)
    assert not any(tmp_path.iterdir()), "refused before anything was written"


def test_percent_in_run_dir_is_a_config_error_on_the_command_line(tmp_path):
    run_dir = tmp_path / "50%done"
    proc = run_cli("launch", "stage=noop", f"run_dir={run_dir}", "cluster=slurm")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "has a % sign" in proc.stderr and "Traceback" not in proc.stderr
    assert not run_dir.exists()


def test_shard_lists_are_shown_as_ranges():
    from hpc.jobscript import compact_ranges

    assert compact_ranges([7, 0, 1, 2, 5, 8]) == "0-2, 5, 7-8" and compact_ranges([3]) == "3"


def multi_rank_sge_script(tmp_path: Path) -> tuple[str, Path]:
    """A two-rank Grid Engine script whose ranks are a stub: rank 1 fails (status 3), rank 0 hangs."""
    from hpc.sge.executor import SgeExecutor

    rank = tmp_path / "rank"
    rank.write_text(
        '#!/bin/bash\nif [ "$SUBMITIT_SGE_GLOBAL_RANK" = 1 ]; then exit 3; fi\necho $$ > rank0.pid\nexec sleep 300\n'
    )
    rank.chmod(0o755)
    ex = SgeExecutor(tmp_path / "logs" / "%j")
    ex.update_parameters(tasks_per_node=2, slots=2, timeout_min=10)
    return ex.job_script(str(rank)), tmp_path / "logs" / "7" / "7_0_log.err"


def test_a_grid_engine_rank_that_fails_ends_the_job_after_rank_zeros_grace(tmp_path):
    script, log = multi_rank_sge_script(tmp_path)
    env = {**os.environ, "JOB_ID": "7", "HERBPROC_RANK_GRACE_S": "1"}
    env.pop("SGE_TASK_ID", None)
    proc = subprocess.run(["bash", "-c", script], env=env, cwd=tmp_path, timeout=60)
    assert proc.returncode == 3, "the failed rank's status"
    text = log.read_text()
    assert "a rank ended with status 3; rank 0 has 1 s to end" in text
    assert "rank 0 still runs 1 s after another rank failed: ending the job" in text
    rank0 = int((tmp_path / "rank0.pid").read_text())
    assert not Path(f"/proc/{rank0}").exists(), "rank 0 was killed"


def test_a_grace_that_is_not_a_number_is_said_in_one_line(tmp_path):
    script, log = multi_rank_sge_script(tmp_path)
    env = {**os.environ, "JOB_ID": "7", "HERBPROC_RANK_GRACE_S": "soon"}
    env.pop("SGE_TASK_ID", None)
    job = subprocess.Popen(["bash", "-c", script], env=env, cwd=tmp_path, start_new_session=True)
    try:
        t0 = time.monotonic()
        while time.monotonic() - t0 < 30 and not (log.exists() and "rank 0 has" in log.read_text()):
            time.sleep(0.2)
        text = log.read_text()
        assert "HERBPROC_RANK_GRACE_S=soon is not a whole number of seconds: using 60" in text
        assert "a rank ended with status 3; rank 0 has 60 s to end" in text
    finally:
        os.killpg(job.pid, signal.SIGKILL)
        job.wait()
