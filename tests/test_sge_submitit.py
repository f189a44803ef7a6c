"""The Grid Engine submitit plugin on the real one-machine cluster: results, errors, requeue, reschedule, states."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import cloudpickle
import pytest
import rank_jobs
import submitit

from hpc.sge import backend as sge_backend
from hpc.sge import states as sge_states
from hpc.sge.executor import SgeExecutor

pytestmark = pytest.mark.sge

# the jobs cannot import this test module: ship its functions and classes inside the pickles
cloudpickle.register_pickle_by_value(sys.modules[__name__])
cloudpickle.register_pickle_by_value(rank_jobs)


def double(x: int) -> int:
    return 2 * x


def whoami() -> tuple[str, str, int]:
    env = submitit.JobEnvironment()
    return env.cluster, env.job_id, env.global_rank


def fail(x: int) -> int:
    raise ZeroDivisionError(f"told to fail on {x}")


def sleep_then_write(path: str, seconds: float) -> float:
    time.sleep(seconds)
    Path(path).write_text(str(time.time()))
    return time.time()


class Counter(submitit.helpers.Checkpointable):
    """Counts to ``target`` at 2 steps/s keeping its count on disk; each start is logged with the count it saw."""

    def __init__(self, state_file: str, target: int):
        self.state_file, self.target = state_file, target

    def __call__(self) -> int:
        state, starts = Path(self.state_file), Path(self.state_file + ".starts")
        n = int(state.read_text()) if state.exists() else 0
        with starts.open("a") as f:
            f.write(f"{n}\n")
        while n < self.target:
            time.sleep(0.5)
            n += 1
            state.write_text(str(n))
        return n

    def starts(self) -> list[int]:
        return [int(x) for x in Path(self.state_file + ".starts").read_text().split()]


def executor(folder: Path, **params) -> SgeExecutor:
    ex = SgeExecutor(folder / "logs" / "%j")
    ex.update_parameters(**params)
    return ex


def qacct_runs(number: str, timeout: float = 30) -> list[str]:
    """exit_status of every run of a job, once the accounting file has them."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        out = subprocess.run(["qacct", "-j", number], capture_output=True, text=True).stdout
        runs = [line.split()[1] for line in out.splitlines() if line.startswith("exit_status")]
        if runs and runs[-1] != "99":
            return runs
        time.sleep(0.5)
    raise AssertionError(f"no final accounting record for job {number}")


def test_single_job_and_array_return_results(sge_cluster, tmp_path):
    ex = executor(tmp_path, timeout_min=2)
    job = ex.submit(whoami)
    jobs = ex.map_array(double, [1, 2, 3])
    assert [j.result() for j in jobs] == [2, 4, 6]
    cluster, job_id, rank = job.result()
    assert (cluster, job_id, rank) == ("sge", job.job_id, 0)
    number = jobs[0].job_id.split("_")[0]
    assert [j.job_id for j in jobs] == [f"{number}_{i}" for i in range(3)], "0-based like SLURM arrays"
    for j in jobs:  # per-task files where submitit (and herbproc's status) look for them
        assert j.paths.stdout.exists() and j.paths.stderr.exists()
        assert j.paths.stdout.parent.name == j.job_id
    assert "Grid Engine job" in jobs[2].stderr()
    assert not list((tmp_path / "logs" / "_sge").iterdir()), (
        "Grid Engine's own (empty) output files are removed"
    )
    # the result pickle lands before Grid Engine has finished the job's bookkeeping: poll the state
    deadline = time.monotonic() + 60
    while jobs[0].state != "COMPLETED" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert jobs[0].state == "COMPLETED"
    assert sorted(p.name for p in (tmp_path / "logs").iterdir() if p.is_file() or p.is_symlink()) == []


def test_refused_qsub_is_a_clear_error_and_leaves_no_files(sge_cluster, tmp_path):
    from hpc.backends import SchedulerError

    ex = executor(tmp_path, timeout_min=2, project="no_such_project")
    for submit in (lambda: ex.submit(double, 1), lambda: ex.map_array(double, [1, 2])):
        with pytest.raises(
            submitit.core.utils.FailedSubmissionError, match='project "no_such_project"'
        ) as info:
            submit()
        assert isinstance(info.value, SchedulerError)
    leftovers = [p for p in (tmp_path / "logs").rglob("*") if p.is_file()]
    assert leftovers == [], "no pickles or job scripts of jobs that were never queued"


def test_raising_job_gives_failed_job_error_with_the_remote_traceback(sge_cluster, tmp_path):
    job = executor(tmp_path, timeout_min=2).submit(fail, 7)
    with pytest.raises(submitit.core.utils.FailedJobError, match="ZeroDivisionError: told to fail on 7"):
        job.result()
    assert "Traceback" in str(job.exception())


def test_requeue_by_own_timer_resumes_a_checkpointable(sge_cluster, tmp_path):
    """h_rt=16 s, warned at 10 s: checkpoint(), exit 99, Grid Engine reruns it, the count goes on from disk.

    13 s of work: the warning surely comes during the first run, and the rerun has well under 10 s left.
    """
    counter = Counter(str(tmp_path / "count"), target=26)
    job = executor(tmp_path, timeout_min=16 / 60, signal_delay_s=6).submit(counter)
    assert job.result() == 26
    starts = counter.starts()
    assert len(starts) == 2 and starts[0] == 0 and 0 < starts[1] < 26, starts
    assert "Exiting with status 99" in job.stdout() and "restarted 1" in job.stderr()
    assert qacct_runs(job.job_id) == ["99", "0"]


def test_requeue_after_the_s_rt_soft_limit(sge_cluster, tmp_path):
    """Grid Engine's own s_rt sends SIGUSR1 at 10 s; the rerun finishes before s_rt comes again."""
    counter = Counter(str(tmp_path / "count"), target=26)
    job = executor(tmp_path, timeout_min=16 / 60, signal_delay_s=6, use_s_rt=True).submit(counter)
    assert "s_rt=0:00:10" in job.paths.submission_file.read_text()
    assert job.result() == 26
    starts = counter.starts()
    assert len(starts) == 2 and 0 < starts[1] < 26, starts
    assert "Caught signal SIGUSR1" in job.stdout()


def test_qmod_rj_reschedules_a_running_job_which_resumes(sge_cluster, tmp_path):
    counter = Counter(str(tmp_path / "count"), target=16)
    job = executor(tmp_path, timeout_min=2).submit(counter)
    state = tmp_path / "count"
    t0 = time.monotonic()
    while not (state.exists() and int(state.read_text() or 0) >= 3):
        assert time.monotonic() - t0 < 60, "the job did not start"
        time.sleep(0.2)
    subprocess.run(["qmod", "-rj", job.job_id], check=True, capture_output=True)
    assert job.result() == 16
    starts = counter.starts()
    assert len(starts) == 2 and starts[1] >= 3, starts
    assert "restarted 1" in job.stderr()


def test_cancelled_job_ends_uncompleted(sge_cluster, tmp_path):
    job = executor(tmp_path, timeout_min=2).submit(sleep_then_write, str(tmp_path / "never"), 60)
    t0 = time.monotonic()
    while job.state not in ("RUNNING",):
        assert time.monotonic() - t0 < 60
        job.watcher.update()
        time.sleep(0.3)
    job.cancel()
    job._results_timeout_s = 1  # no result file will come: do not wait 15 s for a slow file system
    with pytest.raises(submitit.core.utils.UncompletedJobError, match="has not produced any output"):
        job.result()
    assert job.state == "FAILED" and not (tmp_path / "never").exists()


def test_hold_jid_dependency_waits_for_the_first_job(sge_cluster, tmp_path):
    first = executor(tmp_path, timeout_min=2).submit(sleep_then_write, str(tmp_path / "first"), 3)
    b = sge_backend.SgeBackend()
    second = executor(tmp_path, timeout_min=2, **b.dependency([first.job_id])).submit(time.time)
    assert second.result() >= float((tmp_path / "first").read_text())


def test_backend_query_asks_qstat_once_for_all_jobs(sge_cluster, tmp_path, monkeypatch):
    ex = executor(tmp_path, timeout_min=2)
    done = ex.map_array(double, [1, 2])
    failed = ex.submit(fail, 1)
    for j in (*done, failed):
        j.wait()
    running = ex.map_array(sleep_then_write, [str(tmp_path / "a"), str(tmp_path / "b")], [30, 30])
    calls: list[list[str]] = []
    real = sge_states.run_command

    def counting(cmd, *args, **kwargs):
        calls.append(cmd)
        return real(cmd, *args, **kwargs)

    ids = [j.job_id for j in (*done, failed, *running)]
    t0 = time.monotonic()  # the accounting file is written a moment after the jobs end
    while sge_backend.SgeBackend().query(ids)[failed.job_id] != "failed":
        assert time.monotonic() - t0 < 30, "the failed job never showed up as failed"
        time.sleep(0.5)
    monkeypatch.setattr(sge_states, "run_command", counting)
    backend = sge_backend.SgeBackend()
    try:
        states = backend.query(ids)
        assert [c[0] for c in calls].count("qstat") == 1
        qacct_for = sorted(c[2] for c in calls if c[0] == "qacct")
        assert qacct_for == sorted({done[0].job_id.split("_")[0], failed.job_id}), "one qacct per ended job"
        assert states[done[0].job_id] == states[done[1].job_id] == "completed"
        assert states[failed.job_id] == "failed"
        assert {states[j.job_id] for j in running} <= {"pending", "running"}
        calls.clear()
        assert backend.query([done[0].job_id]) == {done[0].job_id: "completed"}
        assert calls == [], "final states are remembered"
    finally:
        backend.cancel([j.job_id for j in running])
    assert "qdel" in backend.cancel_hint([running[0].job_id])


def rank_info() -> tuple[int, int, int, str, str]:
    dist = submitit.helpers.TorchDistributedEnvironment().export(set_cuda_visible_devices=False)
    env = submitit.JobEnvironment()
    return dist.rank, dist.world_size, env.local_rank, os.environ["MASTER_ADDR"], env.job_id


def rank_one_fails() -> int:
    env = submitit.JobEnvironment()
    if env.global_rank == 0:
        raise ValueError("rank 0 gives up")
    time.sleep(120)  # would wait for rank 0 forever in a real collective
    return env.global_rank


def test_several_ranks_in_one_job(sge_cluster, tmp_path):
    ex = executor(tmp_path, timeout_min=2, tasks_per_node=2, slots=2)
    job = ex.submit(rank_info)
    results = job.results()
    assert [r[:3] for r in results] == [(0, 2, 0), (1, 2, 1)]
    assert results[0][3] == results[1][3] and results[0][4] == results[1][4] == job.job_id
    assert job.task(1).paths.stdout.name == f"{job.job_id}_1_log.out" and job.task(1).paths.stdout.exists()

    failing = ex.submit(rank_one_fails)
    t0 = time.monotonic()
    with pytest.raises(submitit.core.utils.FailedJobError, match="rank 0 gives up"):
        failing.task(0).result()
    failing.task(1)._results_timeout_s = 1
    with pytest.raises(submitit.core.utils.UncompletedJobError):
        failing.task(1).result()  # killed with rank 0's failure instead of sleeping on
    assert time.monotonic() - t0 < 60


def test_a_rank_that_fails_ends_a_job_whose_rank_zero_hangs(sge_cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("HERBPROC_RANK_GRACE_S", "3")  # the job script's grace; qsub -V carries it
    ex = executor(tmp_path, timeout_min=10, tasks_per_node=2, slots=2)
    job = ex.submit(rank_jobs.rank_one_fails_while_rank_zero_hangs)
    t0 = time.monotonic()
    with pytest.raises(submitit.core.utils.FailedJobError, match="rank 1 gives up"):
        job.task(1).result()
    runs = qacct_runs(job.job_id, timeout=90)
    assert time.monotonic() - t0 < 90, "the job ended well before rank 0's sleep"
    assert runs[-1] == "1", runs
    assert "ending the job" in job.task(0).paths.stderr.read_text()
