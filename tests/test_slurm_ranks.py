"""Several ranks in one SLURM job: a rank that fails ends the job step (``srun --kill-on-bad-exit``), so a rank 0
stuck where no collective notices does not hold the job until its time limit."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import cloudpickle
import pytest
import rank_jobs
import submitit

from hpc.backends import SlurmScriptExecutor

pytestmark = pytest.mark.slurm
cloudpickle.register_pickle_by_value(rank_jobs)


def in_queue(job_id: str) -> bool:
    out = subprocess.run(["squeue", "-h", "-j", job_id, "-o", "%T"], capture_output=True, text=True).stdout
    return bool(out.strip())


def test_a_rank_that_fails_ends_a_job_whose_rank_zero_hangs(slurm_cluster, tmp_path: Path):
    ex = SlurmScriptExecutor(folder=tmp_path / "logs" / "%j")
    ex.update_parameters(time=10, nodes=1, ntasks_per_node=2, cpus_per_task=1, mem="1G")
    job = ex.submit(rank_jobs.rank_one_fails_while_rank_zero_hangs)
    t0 = time.monotonic()
    try:
        with pytest.raises(submitit.core.utils.FailedJobError, match="rank 1 gives up"):
            job.task(1).result()
        while in_queue(job.job_id) and time.monotonic() - t0 < 90:
            time.sleep(0.5)
        assert not in_queue(job.job_id), "rank 0 still holds the job"
    finally:
        subprocess.run(["scancel", job.job_id], capture_output=True)
