#!/usr/bin/env python
"""Launch benchmark: plan and submit N shards of the no-op stage on a real scheduler.

Reports the number of scheduler submissions (qsub/sbatch calls, counted by a PATH shim) and the seconds from the
command to all-submitted, for herbproc's launcher (one job array per stage, split past the array limit) side by
side with the naive baseline (one submission per shard through submitit's executor.submit), and prints the ratio.

    python bench/launch.py [--shards 200] [--cluster slurm|sge] [--max-array 64]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SUBMIT = {"slurm": "sbatch", "sge": "qsub"}


def shim(tmp: Path, command: str) -> tuple[dict[str, str], Path]:
    """A directory put first on PATH whose `command` logs each call and runs the real one."""
    real = shutil.which(command)
    if real is None:
        sys.exit(f"{command} not found: start the cluster (bash hpc/localcluster/*.sh start)")
    bindir, calls = tmp / "bin", tmp / "calls.log"
    bindir.mkdir()
    script = bindir / command
    script.write_text(f'#!/bin/sh\necho call >> "{calls}"\nexec "{real}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ, PATH=f"{bindir}:{os.environ['PATH']}")
    return env, calls


def calls_made(calls: Path) -> int:
    return len(calls.read_text().splitlines()) if calls.exists() else 0


def herbproc_launch(cluster: str, shards: int, run_dir: Path, extra: list[str], env) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(REPO / "jobs" / "launch.py"),
            "stage=noop",
            f"shards={shards}",
            f"run_dir={run_dir}",
            f"cluster={cluster}",
            "noop.count=1",
            *extra,
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def naive_launch(cluster: str, shards: int, run_dir: Path, env) -> float:
    """One submission per shard: what a loop over executor.submit does."""
    code = f"""
import sys, time
sys.path.insert(0, {str(REPO)!r})
from herbproc.config import compose, plain
from hpc.backends import get_backend
from hpc.task import ShardTask
t0 = time.perf_counter()
cfg = compose(["stage=noop", "shards={shards}", "run_dir={run_dir}", "cluster={cluster}", "noop.count=1"])
ex = get_backend(cfg.cluster.executor).executor(cfg, __import__("pathlib").Path({str(run_dir)!r}) / "logs" / "%j")
task = ShardTask(plain(cfg))
jobs = [ex.submit(task, i) for i in range({shards})]
print(time.perf_counter() - t0)
__import__("pathlib").Path({str(run_dir)!r}, "naive_jobs.txt").write_text("\\n".join(j.job_id for j in jobs))
"""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def cancel_own(cluster: str, run_dir: Path) -> None:
    """Cancel the jobs this run submitted (and only those: the scheduler may be shared)."""
    from hpc.backends import get_backend

    record, naive = run_dir / "state" / "noop" / "jobs.json", run_dir / "naive_jobs.txt"
    ids: list[str] = []
    if record.exists():
        ids = [j for s in json.loads(record.read_text())["submissions"] for j in s["jobs"].values()]
    elif naive.exists():
        ids = naive.read_text().split()
    if ids:
        get_backend(cluster).cancel(ids)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shards", type=int, default=200)
    ap.add_argument("--cluster", choices=sorted(SUBMIT), default="slurm")
    ap.add_argument("--max-array", type=int, default=64, help="a low array limit for the splitting run")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        env, calls = shim(tmp, SUBMIT[args.cluster])
        runs = [
            ("herbproc (one array)", lambda d: herbproc_launch(args.cluster, args.shards, d, [], env)),
            (
                f"herbproc (array limit {args.max_array})",
                lambda d: herbproc_launch(
                    args.cluster, args.shards, d, [f"cluster.max_array_size={args.max_array}"], env
                ),
            ),
            ("naive: one submission per shard", lambda d: naive_launch(args.cluster, args.shards, d, env)),
        ]
        for i, (name, fn) in enumerate(runs):
            before = calls_made(calls)
            seconds = fn(tmp / f"run{i}")
            rows.append((name, calls_made(calls) - before, seconds))
            cancel_own(args.cluster, tmp / f"run{i}")
    print(f"\n{args.shards} no-op shards on {args.cluster} ({os.uname().nodename}, {os.cpu_count()} cores)")
    print(f"{'launcher':<36} {'submissions':>11} {'seconds to all-submitted':>26}")
    for name, n, s in rows:
        print(f"{name:<36} {n:>11} {s:>26.2f}")
    print(
        f"ratio naive/herbproc seconds: {rows[2][2] / rows[0][2]:.1f}x; "
        f"submissions {rows[2][1]} vs {rows[0][1]}"
    )


if __name__ == "__main__":
    main()
