"""Schedulers behind one interface: make a submitit executor, know the array limit, ask for job states once.

Job states are normalised to: pending, running, completed, failed, unknown.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import submitit
from submitit.core import core, utils

PENDING, RUNNING, COMPLETED, FAILED, UNKNOWN = "pending", "running", "completed", "failed", "unknown"
ACTIVE = (PENDING, RUNNING)


class SchedulerError(RuntimeError):
    """The scheduler's commands are missing or answered with an error."""


def _python(cfg) -> str:
    """The command that runs Python on the compute nodes: ``cluster.python`` is trusted shell (it may be
    ``singularity exec img.sif python``); the default, this interpreter, is quoted."""
    return cfg.cluster.python or shlex.quote(sys.executable)


def describe(cfg) -> str:
    """The first comment line of a stage's job scripts."""
    return f"stage {cfg.stage.name}, run_dir {cfg.run_dir}"


def script_placeholder(folder: Path) -> str:
    """Where submitit writes a job script before submitting it (its name holds a random id)."""
    return str(utils.JobPaths.get_first_id_independent_folder(folder) / ".submission_file_<uid>.sh")


def _run(cmd: list[str], timeout: float = 60) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise SchedulerError(f"'{cmd[0]}' not found: is this a login node of the cluster?") from None
    except subprocess.TimeoutExpired:
        raise SchedulerError(f"'{' '.join(cmd)}' did not answer within {timeout:.0f} s") from None
    if out.returncode != 0:
        raise SchedulerError(f"'{' '.join(cmd[:3])} ...' failed: {(out.stderr or out.stdout).strip()[:500]}")
    return out.stdout


class Backend:
    name = "base"
    #: whether the launcher must stay alive for jobs to run (local processes)
    needs_launcher = False

    def executor(self, cfg, folder: Path) -> submitit.Executor:
        raise NotImplementedError

    def max_array_size(self, cfg) -> int:
        return int(cfg.cluster.max_array_size)

    def query(self, job_ids: list[str]) -> dict[str, str]:
        """States of ``job_ids`` from one scheduler call."""
        raise NotImplementedError

    def dependency(self, job_ids: list[str]) -> dict[str, Any]:
        """Executor parameters that make the next submission wait for ``job_ids`` to succeed."""
        raise NotImplementedError

    def cancel_hint(self, job_ids: list[str]) -> str:
        return ""

    def cancel(self, job_ids: list[str]) -> None:
        """Cancel jobs (the stages after a failed one in a pipeline)."""

    def preview(self, cfg, folder: Path, count: int, dependency: list[str]):
        """The command and job script that submitting ``count`` shards (an array when more than one) with the
        executor of ``folder`` would use, built as the executor builds them, writing nothing
        (a :class:`hpc.jobscript.Submission`). ``dependency``: job ids or placeholders to wait for."""
        raise NotImplementedError


class LocalBackend(Backend):
    name = "local"
    needs_launcher = True

    def executor(self, cfg, folder: Path) -> submitit.Executor:
        from hpc.localctl import LocalExecutor

        ex = LocalExecutor(folder=folder, python=_python(cfg))
        ex.update_parameters(
            timeout_min=cfg.stage.timeout_min,
            tasks_per_node=cfg.stage.tasks_per_node if cfg.stage.kind == "distributed" else 1,
            gpus_per_node=cfg.stage.gpus,
            signal_delay_s=cfg.cluster.signal_delay_s,
            setup=list(cfg.cluster.setup),
        )
        return ex

    def query(self, job_ids: list[str]) -> dict[str, str]:
        states = {}
        for jid in job_ids:
            try:
                os.kill(int(jid), 0)
                states[jid] = RUNNING
            except (ProcessLookupError, ValueError):
                states[jid] = UNKNOWN
            except PermissionError:
                states[jid] = RUNNING
        return states

    def dependency(self, job_ids: list[str]) -> dict[str, Any]:
        return {}

    def preview(self, cfg, folder: Path, count: int, dependency: list[str]):
        from hpc.jobscript import Submission

        command = [*shlex.split(_python(cfg)), "-u", "-m", "hpc.localctl", str(folder)]
        return Submission(command, "", "")

    def cancel(self, job_ids: list[str]) -> None:
        import signal

        for jid in job_ids:
            with contextlib.suppress(ProcessLookupError, ValueError, PermissionError):
                os.kill(int(jid), signal.SIGTERM)


SLURM_STATES = {
    "PENDING": PENDING,
    "REQUEUED": PENDING,
    "REQUEUE_HOLD": PENDING,
    "REQUEUE_FED": PENDING,
    "RESV_DEL_HOLD": PENDING,
    "CONFIGURING": PENDING,
    "SUSPENDED": PENDING,
    "PREEMPTED": PENDING,
    "RUNNING": RUNNING,
    "COMPLETING": RUNNING,
    "SIGNALING": RUNNING,
    "STAGE_OUT": RUNNING,
    "RESIZING": RUNNING,
    "COMPLETED": COMPLETED,
    "FAILED": FAILED,
    "CANCELLED": FAILED,
    "TIMEOUT": FAILED,
    "NODE_FAIL": FAILED,
    "OUT_OF_MEMORY": FAILED,
    "BOOT_FAIL": FAILED,
    "DEADLINE": FAILED,
    "REVOKED": FAILED,
}


def expand_slurm_ids(token: str) -> list[str]:
    """``123_[0-3,7%2]`` -> 123_0 .. 123_3, 123_7; ``123_4`` and ``123`` stay as they are."""
    m = re.fullmatch(r"(\d+)_\[([^\]]+)\]", token)
    if not m:
        return [token]
    base, spec = m.group(1), m.group(2).split("%")[0]
    out = []
    for part in spec.split(","):
        if "-" in part:
            a, b = part.split("-")
            out.extend(f"{base}_{i}" for i in range(int(a), int(b) + 1))
        elif part:
            out.append(f"{base}_{part}")
    return out


class SlurmScriptExecutor(submitit.SlurmExecutor):
    """submitit's SLURM executor, submitting herbproc's job script (``sbatch_templates/slurm.sbatch.j2``).

    Everything else is submitit's: pickles, ``sbatch`` and its job ids, states, requeue on preemption.
    """

    #: first comment line of the job script
    description = "submitit job"

    def _make_submission_file_text(self, command: str, uid: str) -> str:
        from hpc.jobscript import slurm_script

        return slurm_script(self.parameters, self.folder, command, self.description)

    def _internal_process_submissions(
        self, delayed_submissions: list[utils.DelayedSubmission]
    ) -> list[core.Job[Any]]:
        """submitit's, except that an array is submitted by this class too (submitit copies the parameters
        into a plain SlurmExecutor), and a refused array leaves no pickles behind."""
        if len(delayed_submissions) == 1:
            return super()._internal_process_submissions(delayed_submissions)
        folder = utils.JobPaths.get_first_id_independent_folder(self.folder)
        folder.mkdir(parents=True, exist_ok=True)
        pickle_paths = []
        for delayed in delayed_submissions:
            pickle_paths.append(folder / f"{uuid.uuid4().hex}.pkl")
            delayed.set_timeout(self.parameters.get("time", 5), self.max_num_timeout)
            delayed.dump(pickle_paths[-1])
        array_ex = type(self)(self.folder, self.max_num_timeout, python=self.python)
        array_ex.description = self.description
        array_ex.update_parameters(**self.parameters)
        array_ex.parameters["map_count"] = len(delayed_submissions)
        self._throttle()
        try:
            first = array_ex._submit_command(self._submitit_command_str)
        except BaseException:
            for path in pickle_paths:
                path.unlink(missing_ok=True)
            raise
        tasks = list(range(first.num_tasks))
        jobs: list[core.Job[Any]] = [
            submitit.SlurmJob(folder=self.folder, job_id=f"{first.job_id}_{a}", tasks=tasks)
            for a in range(len(delayed_submissions))
        ]
        for job, pickle_path in zip(jobs, pickle_paths, strict=True):
            job.paths.move_temporary_file(pickle_path, "submitted_pickle")
        return jobs


def slurm_parameters(cfg) -> dict[str, Any]:
    """SlurmExecutor parameters for the stage and cluster profile of ``cfg``."""
    c, s = cfg.cluster, cfg.stage
    params: dict[str, Any] = dict(
        job_name=f"herbproc-{s.name}",
        time=s.timeout_min,
        nodes=s.nodes,
        ntasks_per_node=s.tasks_per_node if s.kind == "distributed" else 1,
        cpus_per_task=s.cpus,
        mem=f"{max(1, int(round(s.mem_gb * 1024)))}M",
        signal_delay_s=c.signal_delay_s,
        setup=list(c.setup),
    )
    if s.gpus:
        params["gpus_per_node"] = s.gpus
    if c.array_parallelism:
        params["array_parallelism"] = c.array_parallelism
    for key in ("partition", "account", "qos", "gres", "constraint"):
        if c.get(key):
            params[key] = c[key]
    if c.additional:
        params["additional_parameters"] = dict(c.additional)
    return params


class SlurmBackend(Backend):
    name = "slurm"

    def executor(self, cfg, folder: Path) -> submitit.Executor:
        ex = SlurmScriptExecutor(folder=folder, python=_python(cfg))
        ex.description = describe(cfg)
        ex.update_parameters(**slurm_parameters(cfg))
        return ex

    def preview(self, cfg, folder: Path, count: int, dependency: list[str]):
        from hpc.jobscript import Submission, slurm_script, submit_command

        params = slurm_parameters(cfg)
        if dependency:
            params.update(self.dependency(dependency))
        if count > 1:
            params["map_count"] = count
        script = slurm_script(params, folder, submit_command(_python(cfg), folder), describe(cfg))
        path = script_placeholder(folder)
        return Submission(["sbatch", path], script, path)

    def max_array_size(self, cfg) -> int:
        limit = int(cfg.cluster.max_array_size)
        try:
            out = _run(["scontrol", "show", "config"], timeout=20)
            m = re.search(r"^MaxArraySize\s*=\s*(\d+)", out, re.M)
            if m:
                limit = min(limit, int(m.group(1)))  # indices run 0..MaxArraySize-1
        except SchedulerError:
            pass
        return limit

    def query(self, job_ids: list[str]) -> dict[str, str]:
        """One ``squeue --states=all`` for the run (it knows jobs until MinJobAge after they end); ``sacct``
        only for ids squeue has already forgotten."""
        if not job_ids:
            return {}
        bases = sorted({j.split("_")[0] for j in job_ids})
        states: dict[str, str] = {}
        try:
            out = _run(["squeue", "-h", "-r", "--states=all", "-o", "%i %T", "-j", ",".join(bases)])
            for line in out.splitlines():
                token, _, state = line.strip().partition(" ")
                states[token] = SLURM_STATES.get(state.strip(), UNKNOWN)
        except SchedulerError:
            pass  # every id was purged from slurmctld: ask the accounting database
        missing = sorted(
            {j.split("_")[0] for j in job_ids if j not in states and j.split("_")[0] not in states}
        )
        if missing and shutil.which("sacct"):
            try:
                out = _run(["sacct", "-X", "-n", "-P", "-o", "JobID,State", "-j", ",".join(missing)])
            except SchedulerError:
                out = ""
            for line in out.splitlines():
                if "|" in line:
                    token, state = line.split("|", 1)
                    word = state.split()[0] if state.strip() else ""
                    for jid in expand_slurm_ids(token.strip()):
                        states.setdefault(jid, SLURM_STATES.get(word, UNKNOWN))
        return {j: states.get(j, states.get(j.split("_")[0], UNKNOWN)) for j in job_ids}

    def dependency(self, job_ids: list[str]) -> dict[str, Any]:
        bases = sorted({j.split("_")[0] for j in job_ids})
        return {"dependency": "afterok:" + ":".join(bases)} if bases else {}

    def cancel_hint(self, job_ids: list[str]) -> str:
        return "scancel " + " ".join(sorted({j.split("_")[0] for j in job_ids}))

    def cancel(self, job_ids: list[str]) -> None:
        if job_ids:
            _run(["scancel", *sorted({j.split("_")[0] for j in job_ids})])


_BACKENDS: dict[str, type[Backend]] = {"local": LocalBackend, "slurm": SlurmBackend}


def register(name: str, cls: type[Backend]) -> None:
    _BACKENDS[name] = cls


def get_backend(name: str) -> Backend:
    if name == "sge" and "sge" not in _BACKENDS:
        try:
            import hpc.sge  # noqa: F401  (registers itself)
        except ImportError as e:
            raise SchedulerError(f"the Grid Engine backend is not available: {e}") from None
    try:
        return _BACKENDS[name]()
    except KeyError:
        raise SchedulerError(f"unknown executor '{name}' (choices: {', '.join(sorted(_BACKENDS))})") from None
