"""stage=train with two CPU ranks (gloo) on the real one-machine schedulers: a run killed mid-epoch and
relaunched, then pre-empted and requeued (SLURM), or pre-empted and rescheduled (Grid Engine), follows the
per-step loss curve of an uninterrupted run exactly.

The uninterrupted reference runs once through the local executor (two ranks as well), so multi-rank training
there is covered too. Everything is deterministic on the CPU: same seed, one thread per rank, augmentations
seeded per sample, dropout seeded per step.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import torch
from conftest import run_cli
from synthstore import build_synth_run

STEPS_PER_EPOCH = 5  # 30 training sheets, 2 ranks x batch 3
EPOCHS = 12
TRAIN = [
    "stage=train",
    "stage.cpus=1",
    "stage.gpus=0",
    "stage.mem_gb=2",
    "stage.timeout_min=60",  # submitit counts a signal in a short job as a time-out, not a pre-emption
    "tasks_per_node=2",
    "train.model=tiny",
    "train.resize=32",
    "train.batch_size=3",
    f"train.epochs={EPOCHS}",
    "train.checkpoint_every=3",
    "train.keep_checkpoints=2",
    "train.workers=1",
    "train.optimizer=sgd",
    "train.lr=0.05",
    "train.lr_batch=0",
    "train.warmup_epochs=1",
    "train.update_warm_epochs=2",  # DSM moves the budgets during the run: its state must resume too
    "train.deterministic=true",
    "train.dist_timeout_s=60",
    "progress_interval_s=1",
    "cluster.poll_s=1",
]


def steps(run: Path) -> list[dict[str, str]]:
    path = run / "train" / "steps.csv"
    if not path.exists():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def marker(run: Path) -> Path:
    return run / "state" / "train" / "shards" / "shard-00000.done.json"


def job_id(run: Path) -> str:
    return json.loads((run / "state" / "train" / "jobs.json").read_text())["submissions"][-1]["jobs"]["0"]


def rank0_pid(run: Path) -> int:
    """Rank 0 holds the shard's lock, which names its process."""
    return int((run / "state" / "train" / "shards" / "shard-00000.lock").read_text().split()[0])


def job_active(jid: str) -> bool:
    out = subprocess.run(["squeue", "-h", "-j", jid, "-o", "%T"], capture_output=True, text=True).stdout
    return bool(out.strip())


def logs(run: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in sorted((run / "logs" / "train").rglob("*.err")))


def wait_for(predicate, timeout: float, what: str, interval: float = 0.05, run: Path | None = None):
    """``run``: on a time-out, the tails of its ranks' logs join the message."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    tails = ""
    if run is not None:
        for path in sorted((run / "logs" / "train").rglob("*_log.*")):
            tails += f"\n--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-25:])
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{tails}")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return build_synth_run(
        tmp_path_factory.mktemp("train_world") / "base",
        species=4,
        sheets_per_species=13,
        canvas=(48, 32),
        val_fraction=0.2,
        test_fraction=0.2,
    )


@pytest.fixture(scope="module")
def reference(world, tmp_path_factory) -> Path:
    """The uninterrupted run, two ranks on the local executor."""
    run = fresh_run(world, tmp_path_factory.mktemp("reference") / "run")
    proc = run_cli("launch", *TRAIN, f"run_dir={run}", "cluster=local", timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert len(steps(run)) == EPOCHS * STEPS_PER_EPOCH
    return run


def same_run(run: Path, reference: Path) -> None:
    """Every step once and equal to the reference's, the same epoch metrics and the same final weights."""
    got, want = steps(run), steps(reference)
    assert [r["step"] for r in got] == [r["step"] for r in want], "every step once, in order"
    for a, b in zip(got, want, strict=True):
        assert (a["loss"], a["lr"], a["top1"]) == (b["loss"], b["lr"], b["top1"]), f"step {a['step']} differs"
    assert len({r["loss"] for r in want}) > 10, "the loss moved"
    metrics = [json.loads((r / "train" / "metrics.json").read_text()) for r in (run, reference)]
    keys = ("epoch", "train_loss", "train_top1", "val_loss", "val_top1", "val_macro_f1")
    assert [[e[k] for k in keys] for e in metrics[0]["epochs"]] == [
        [e[k] for k in keys] for e in metrics[1]["epochs"]
    ]
    a, b = (torch.load(r / "train" / "model.pt", weights_only=True)["model"] for r in (run, reference))
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a), "the same final weights"
    assert not torch.equal(a["ielt.selection.select_rate"], torch.tensor([3.0, 2.0, 3.0]) / 8), "DSM ran"


def fresh_run(world: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("manifest.parquet", "classes.csv"):
        (target / name).write_bytes((world / name).read_bytes())
    subprocess.run(["cp", "-r", str(world / "store"), str(target / "store")], check=True)
    return target


@pytest.mark.slurm
def test_slurm_killed_then_preempted_run_follows_the_uninterrupted_curve(
    slurm_cluster, reference, world, tmp_path
):
    run = fresh_run(world, tmp_path / "run")
    proc = run_cli("launch", *TRAIN, f"run_dir={run}", "cluster=slurm")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    first = job_id(run)

    # 1. kill -9 of rank 0 in the middle of epoch 3, after the checkpoint of step 12
    wait_for(lambda: len(steps(run)) >= 13, 120, "step 13", run=run)
    os.kill(rank0_pid(run), signal.SIGKILL)
    killed_at = len(steps(run))
    assert killed_at < 2 * EPOCHS * STEPS_PER_EPOCH // 3, "the run was killed well before its end"
    wait_for(lambda: not job_active(first), 60, "the killed job to end", 0.5, run)
    assert not marker(run).exists()

    # 2. relaunch: it resumes from the newest checkpoint; then a pre-emption warning (USR2) mid-epoch
    proc = run_cli("launch", *TRAIN, f"run_dir={run}", "cluster=slurm")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    second = job_id(run)
    assert second != first
    wait_for(lambda: "resumed from" in logs(run), 90, "the relaunched job to resume", run=run)
    wait_for(lambda: len(steps(run)) >= 37, 120, "step 37", run=run)
    subprocess.run(["scancel", "--signal=USR2", second], check=True, capture_output=True)
    wait_for(lambda: marker(run).exists(), 240, "the requeued job to finish", 0.5, run)

    log = logs(run)
    assert "checkpointing and requeueing" in log, log[-3000:]
    resumed = [line for line in log.splitlines() if "resumed from" in line]
    assert len(resumed) == 2, resumed
    assert "(preempt)" in resumed[1], resumed
    assert 37 <= int(resumed[1].split("ckpt-")[1][:8]) < EPOCHS * STEPS_PER_EPOCH
    assert int(resumed[0].split("ckpt-")[1][:8]) <= killed_at
    same_run(run, reference)


@pytest.mark.sge
def test_grid_engine_preempted_run_follows_the_uninterrupted_curve(sge_cluster, reference, world, tmp_path):
    """Two ranks in one Grid Engine job; SIGUSR1 (the s_rt warning) to rank 0 mid-epoch: it checkpoints at the
    next step boundary, exits 99, Grid Engine reschedules the job and it resumes."""
    run = fresh_run(world, tmp_path / "run")
    proc = run_cli("launch", *TRAIN, f"run_dir={run}", "cluster=sge")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wait_for(lambda: len(steps(run)) >= 22, 120, "step 22", run=run)
    os.kill(rank0_pid(run), signal.SIGUSR1)
    wait_for(lambda: marker(run).exists(), 180, "the rescheduled job to finish", 0.5, run)
    log = logs(run)
    assert "Exiting with status 99" in log, log[-3000:]
    resumed = [line for line in log.splitlines() if "resumed from" in line]
    assert len(resumed) == 1 and "(preempt)" in resumed[0], resumed
    same_run(run, reference)
