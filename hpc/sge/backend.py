"""herbproc's ``sge`` backend: the run configuration -> :class:`SgeExecutor`, job states, dependencies, qdel."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from hpc.backends import (
    COMPLETED,
    FAILED,
    PENDING,
    RUNNING,
    UNKNOWN,
    Backend,
    SchedulerError,
    _python,
    describe,
    script_placeholder,
)
from hpc.sge.executor import (
    DEFAULTS,
    SgeExecutor,
    check_folder,
    check_parameters,
    job_script,
    submission_command,
)
from hpc.sge.states import SgeCommandError, StateTracker, run_command, split_job_id

#: submitit-level state -> herbproc's normalised state
NORMALISED = {
    "PENDING": PENDING,
    "REQUEUED": PENDING,
    "RUNNING": RUNNING,
    "COMPLETING": RUNNING,
    "COMPLETED": COMPLETED,
    "FAILED": FAILED,
    "TIMEOUT": FAILED,
    "CANCELLED": FAILED,
    "LOST": FAILED,
    "UNKNOWN": UNKNOWN,
}


def executor_parameters(cfg) -> dict[str, Any]:
    """SgeExecutor parameters for the stage and cluster profile of ``cfg``."""
    c, s = cfg.cluster, cfg.stage
    params: dict[str, Any] = dict(
        job_name=f"herbproc-{s.name}",
        timeout_min=s.timeout_min,
        signal_delay_s=c.signal_delay_s,
        use_s_rt=c.use_s_rt,
        slots=s.cpus,
        pe=c.pe or "smp",
        mem_gb=s.mem_gb,
        mem_resource=c.mem_resource,
        mem_per_slot=c.mem_per_slot,
        gpus_per_node=s.gpus,
        gpu_resource=c.gpu_resource,
        gpu_extra=c.gpu_extra,
        project=c.project,
        queue=c.queue,
        resources=c.resources,
        export_env=c.export_env,
        setup=list(c.setup),
        nodes=s.nodes if s.kind == "distributed" else 1,
        tasks_per_node=s.tasks_per_node if s.kind == "distributed" else 1,
    )
    if c.array_parallelism:
        params["array_parallelism"] = c.array_parallelism
    if c.additional:
        params["additional_parameters"] = dict(c.additional)
    return params


def max_aj_tasks() -> int | None:
    """The scheduler's largest array (global ``max_aj_tasks``; 0 = no limit -> None)."""
    _, out = run_command(["qconf", "-sconf"], timeout=60)
    m = re.search(r"^max_aj_tasks\s+(\d+)", out, re.M)
    if m is None or int(m.group(1)) == 0:
        return None
    return int(m.group(1))


class SgeBackend(Backend):
    name = "sge"

    def __init__(self) -> None:
        self.tracker = StateTracker()

    def executor(self, cfg, folder: Path) -> SgeExecutor:
        try:
            ex = SgeExecutor(folder=folder, python=_python(cfg))
            ex.description = describe(cfg)
            ex.update_parameters(**executor_parameters(cfg))
        except RuntimeError as e:  # Grid Engine not installed here
            raise SchedulerError(str(e)) from None
        except ValueError as e:
            raise SchedulerError(f"cluster {cfg.cluster.name}, stage {cfg.stage.name}: {e}") from None
        return ex

    def preview(self, cfg, folder: Path, count: int, dependency: list[str]):
        from hpc.jobscript import Submission, submit_command

        params = executor_parameters(cfg)
        try:
            check_folder(folder)
            check_parameters({**DEFAULTS, **params})
        except ValueError as e:
            raise SchedulerError(f"cluster {cfg.cluster.name}, stage {cfg.stage.name}: {e}") from None
        if dependency:
            params["hold_jid"] = list(dependency)  # job ids, or a dry run's placeholders
        command = submit_command(_python(cfg), folder)
        script = job_script(params, folder, command, count if count > 1 else None, describe(cfg))
        path = script_placeholder(folder)
        return Submission(submission_command(folder, path), script, path)

    def max_array_size(self, cfg) -> int:
        limit = int(cfg.cluster.max_array_size)
        try:
            scheduler_limit = max_aj_tasks()
        except SgeCommandError:
            return limit
        return min(limit, scheduler_limit) if scheduler_limit else limit

    def query(self, job_ids: list[str]) -> dict[str, str]:
        if not job_ids:
            return {}
        try:
            states = self.tracker.states(list(job_ids))
        except SgeCommandError as e:
            raise SchedulerError(str(e)) from None
        return {j: NORMALISED.get(states.get(j, "UNKNOWN"), UNKNOWN) for j in job_ids}

    def dependency(self, job_ids: list[str]) -> dict[str, Any]:
        """``-hold_jid``: Grid Engine starts the jobs once these have ended (whether they succeeded or not)."""
        numbers = sorted({split_job_id(j)[0] for j in job_ids}, key=int)
        return {"hold_jid": numbers} if numbers else {}

    def cancel_hint(self, job_ids: list[str]) -> str:
        return "qdel " + " ".join(sorted({split_job_id(j)[0] for j in job_ids}, key=int))

    def cancel(self, job_ids: list[str]) -> None:
        numbers = sorted({split_job_id(j)[0] for j in job_ids}, key=int)
        if not numbers:
            return
        try:
            out = subprocess.run(["qdel", *numbers], capture_output=True, text=True, timeout=60)
        except (FileNotFoundError, subprocess.TimeoutExpired) as e:
            raise SchedulerError(f"qdel {' '.join(numbers)} failed: {e}") from None
        # qdel answers 1 when some of the jobs have ended already; it still deletes the others
        problems = [
            line
            for line in (out.stdout + out.stderr).splitlines()
            if line.strip()
            and "does not exist" not in line
            and "for deletion" not in line
            and "has deleted" not in line
        ]
        if out.returncode != 0 and problems:
            raise SchedulerError(f"qdel {' '.join(numbers)} failed: {' '.join(problems)[:500]}")
