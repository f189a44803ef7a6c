"""A submitit executor for Grid Engine (SGE, Son of Grid Engine, Univa/Altair GE): ``qsub -terse`` per job or array.

    ex = SgeExecutor(folder="logs/%j")
    ex.update_parameters(timeout_min=60, slots=4, mem_gb=16, mem_resource="mem_per_core", project="mylab")
    job = ex.submit(fn, arg)            # or ex.map_array(fn, args): one ``qsub -t 1-N -tc P``
    job.result()

Arrays: Grid Engine numbers tasks from 1; submitit's ids are ``<JOB_ID>_<index from 0>`` like SLURM's. Grid
Engine cannot name an output file by a 0-based index, so the job script redirects its own stdout/stderr into
submitit's per-task files (``<folder>/<id>/<id>_0_log.out|err``); Grid Engine's own ``-o/-e`` files go to
``<folder>/_sge/`` (named on the qsub command line) and are deleted when they stay empty.

The job script is rendered from ``sbatch_templates/sge.qsub.j2`` by one function, :func:`job_script`.
"""

from __future__ import annotations

import math
import re
import shlex
import shutil
import subprocess
import sys
import time
import typing as tp
import uuid
from pathlib import Path

from submitit.core import core, logger, utils

from hpc.backends import SchedulerError
from hpc.sge.states import SgeCommandError, StateTracker, run_command, split_job_id

#: submission parameters and their defaults (``update_parameters`` accepts exactly these)
DEFAULTS: dict[str, tp.Any] = {
    "job_name": "submitit",
    "timeout_min": 5.0,  # -l h_rt
    "signal_delay_s": 90,  # checkpoint this long before h_rt
    "use_s_rt": False,  # warn through -l s_rt instead of the job's own timer (see docs/hpc.md)
    "slots": 1,  # -pe <pe> <slots> when more than one (cpus_per_task)
    "pe": "smp",
    "mem_gb": None,  # memory of the whole job
    "mem_resource": None,  # h_vmem | mem_free | m_mem_free | mem_per_core ...; None: ask for no memory
    "mem_per_slot": True,  # the memory resource counts per slot (h_vmem, mem_per_core do)
    "gpus_per_node": 0,
    "gpu_resource": "gpu",  # -l <gpu_resource>=N (BU SCC: gpus)
    "gpu_extra": None,  # more -l requests when GPUs are asked for (BU SCC: gpu_c=7.0)
    "project": None,  # -P
    "queue": None,  # -q
    "resources": None,  # raw -l string for every job: "h=node1,scratch_free=10G"
    "hold_jid": None,  # job ids to wait for: -hold_jid
    "export_env": True,  # -V: the job sees the submitting environment
    "env": None,  # {name: value} passed with -v
    "array_parallelism": 256,  # -tc: array tasks running at once
    "setup": None,  # shell lines run before Python
    "stderr_to_stdout": False,
    "nodes": 1,
    "tasks_per_node": 1,
    "rerunnable": True,  # -r y: qmod -rj and crashed hosts reschedule the job
    "additional_parameters": None,  # {"m": "ea", "M": "me@bu.edu"} -> #$ -m ea / #$ -M me@bu.edu
}


class SgeSubmissionError(utils.FailedSubmissionError, SchedulerError):
    """qsub refused a job (submitit's FailedSubmissionError; herbproc's launcher reports it as a scheduler error)."""


def sge_available() -> bool:
    """Grid Engine, not PBS (which also has qsub): SGE has qconf."""
    return shutil.which("qsub") is not None and shutil.which("qconf") is not None


def format_duration(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def format_memory(mb: float) -> str:
    mb = math.ceil(mb)
    return f"{mb // 1024}G" if mb % 1024 == 0 else f"{mb}M"


def limits_s(timeout_min: float, signal_delay_s: int) -> tuple[int, int]:
    """(h_rt, seconds after the start at which the job is warned). The warning never comes before half-time."""
    h_rt = max(1, int(round(timeout_min * 60)))
    return h_rt, max(h_rt - int(signal_delay_s), h_rt // 2, 1)


def shell_path(template: str, variables: dict[str, str]) -> str:
    """A path template with submitit's %j/%t/%A/%a tags -> one double-quoted shell word using ``variables``."""
    out = []
    for piece in re.split(r"(%[jtAa])", template):
        if piece in variables:
            out.append("${" + variables[piece] + "}")
        else:
            out.append(
                piece.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
            )
    return '"' + "".join(out) + '"'


class SgeInfoWatcher(core.InfoWatcher):
    """One ``qstat -xml`` per update for every watched job; ``qacct -j`` for those that left the queue."""

    def __init__(self, delay_s: int = 60) -> None:
        super().__init__(delay_s)
        self.tracker = StateTracker()

    def _make_command(self) -> list[str] | None:
        return ["qstat", "-xml"] if self._registered - self._finished else None

    def get_state(self, job_id: str, mode: str = "standard") -> str:
        return self.get_info(job_id, mode=mode).get("State") or "UNKNOWN"

    def update(self) -> None:
        to_check = sorted(self._registered - self._finished)
        if not to_check:
            return
        self._num_calls += 1
        try:
            states = self.tracker.states(to_check)
        except SgeCommandError as e:
            logger.get_logger().warning(f"Call #{self.num_calls} - Bypassing Grid Engine error {e}")
        else:
            for jid, state in states.items():
                self._info_dict[jid] = {**self.tracker.details.get(jid, {}), "State": state}
        self._last_status_check = time.time()
        for job_id in to_check:
            if self.is_done(job_id, mode="cache"):
                self._finished.add(job_id)

    def forget(self, job_id: str) -> None:
        """Stop watching ``job_id`` (the bare number of an array: only its tasks are watched)."""
        self._registered.discard(job_id)


class SgeJob(core.Job[core.R]):
    _cancel_command = "qdel"
    watcher = SgeInfoWatcher(delay_s=60)

    def cancel(self, check: bool = True) -> None:
        number, index = split_job_id(self.job_id)
        cmd = ["qdel", number] + (["-t", str(index + 1)] if index is not None else [])
        try:
            run_command(cmd, timeout=60)
        except SgeCommandError:
            if check:
                raise


class SgeExecutor(core.PicklingExecutor):
    """Grid Engine executor. ``folder`` may contain submitit's %j (job id) tag: ``logs/%j``.

    ``python``: the command that runs Python on the compute hosts (default: this interpreter).
    """

    job_class = SgeJob
    _map_count: int | None = None  # number of array tasks, set on the copy that submits an array
    #: first comment line of the job script
    description = "submitit job"

    def __init__(
        self,
        folder: str | Path,
        max_num_timeout: int = 3,
        max_pickle_size_gb: float = 1.0,
        python: str | None = None,
    ) -> None:
        super().__init__(folder, max_num_timeout=max_num_timeout, max_pickle_size_gb=max_pickle_size_gb)
        self.python = shlex.quote(sys.executable) if python is None else python
        self.parameters = dict(DEFAULTS)
        check_folder(self.folder)
        if self.affinity() < 1:
            raise RuntimeError("Grid Engine not found (no qsub and qconf on PATH): is this a submit host?")

    @classmethod
    def affinity(cls) -> int:
        return 2 if sge_available() else -1

    @classmethod
    def _equivalence_dict(cls) -> core.EquivalenceDict:
        return {
            "name": "job_name",
            "timeout_min": "timeout_min",
            "mem_gb": "mem_gb",
            "nodes": "nodes",
            "cpus_per_task": "slots",
            "gpus_per_node": "gpus_per_node",
            "tasks_per_node": "tasks_per_node",
        }

    @classmethod
    def _valid_parameters(cls) -> set[str]:
        return set(DEFAULTS)

    def _internal_update_parameters(self, **kwargs: tp.Any) -> None:
        unknown = sorted(set(kwargs) - set(DEFAULTS))
        if unknown:
            valid = "\n  - ".join(f"{k} (default: {v!r})" for k, v in sorted(DEFAULTS.items()))
            raise ValueError(f"Unavailable parameter(s): {unknown}\nValid parameters are:\n  - {valid}")
        merged = {**self.parameters, **kwargs}
        check_parameters(merged)
        self.parameters = merged

    # ---------------------------------------------------------------------------------------- submission

    def _internal_process_submissions(
        self, delayed_submissions: list[utils.DelayedSubmission]
    ) -> list[core.Job[tp.Any]]:
        """One qsub for one submission, one array (``-t 1-N``) for several. A refused qsub leaves no files."""
        folder = utils.JobPaths.get_first_id_independent_folder(self.folder)
        folder.mkdir(parents=True, exist_ok=True)
        pickle_paths: list[Path] = []
        try:
            for d in delayed_submissions:
                pickle_paths.append(folder / f"{uuid.uuid4().hex}.pkl")
                d.set_timeout(self.parameters["timeout_min"], self.max_num_timeout)
                d.dump(pickle_paths[-1])
            size_gb = sum(p.stat().st_size for p in pickle_paths) / 1024**3
            if size_gb > self.max_pickle_size_gb:
                raise RuntimeError(
                    f"Submitting {size_gb:.2f} GB of pickled functions and arguments (> max_pickle_size_gb="
                    f"{self.max_pickle_size_gb}); raise executor.max_pickle_size_gb if this is intended"
                )
            self._throttle()
            self._last_job_submitted = time.time()
            if len(delayed_submissions) == 1:
                jobs: list[core.Job[tp.Any]] = [self._submit_command(self._submitit_command_str)]
            else:
                array_ex = SgeExecutor(
                    self.folder, self.max_num_timeout, self.max_pickle_size_gb, python=self.python
                )
                array_ex.parameters = dict(self.parameters)
                array_ex.description = self.description
                array_ex._map_count = len(delayed_submissions)
                first = array_ex._submit_command(self._submitit_command_str)
                SgeJob.watcher.forget(first.job_id)  # only the tasks are watched
                jobs = [
                    SgeJob(
                        folder=self.folder, job_id=f"{first.job_id}_{i}", tasks=list(range(first.num_tasks))
                    )
                    for i in range(len(pickle_paths))
                ]
        except BaseException:
            for p in pickle_paths:
                p.unlink(missing_ok=True)
            raise
        for job, pickle_path in zip(jobs, pickle_paths, strict=True):
            job.paths.move_temporary_file(pickle_path, "submitted_pickle")
        return jobs

    def _submit_command(self, command: str) -> core.Job[tp.Any]:
        """Write the job script, qsub it, and move the script next to the job's logs."""
        folder = utils.JobPaths.get_first_id_independent_folder(self.folder)
        (folder / "_sge").mkdir(parents=True, exist_ok=True)
        script = folder / f".submission_file_{uuid.uuid4().hex}.sh"
        script.write_text(self.job_script(command))
        try:
            try:
                out = subprocess.run(
                    self._make_submission_command(script), capture_output=True, text=True, timeout=300
                )
            except (OSError, subprocess.TimeoutExpired) as e:
                raise SgeSubmissionError(f"qsub could not be run: {e}") from None
            if out.returncode != 0:
                message = " ".join((out.stderr or out.stdout).split())
                raise SgeSubmissionError(f"qsub refused the job: {message[:1000]}")
            job_id = self._get_job_id_from_submission_command(out.stdout)
        except BaseException:
            script.unlink(missing_ok=True)
            raise
        job: core.Job[tp.Any] = self.job_class(
            folder=self.folder, job_id=job_id, tasks=list(range(self._num_tasks()))
        )
        job.paths.move_temporary_file(script, "submission_file")
        return job

    @property
    def _submitit_command_str(self) -> str:
        return " ".join([self.python, "-u -m submitit.core._submit", shlex.quote(str(self.folder))])

    def _num_tasks(self) -> int:
        return int(self.parameters["tasks_per_node"])

    def _make_submission_file_text(self, command: str, uid: str) -> str:
        return self.job_script(command)

    def _make_submission_command(self, submission_file_path: Path) -> list[str]:
        _sge_output(self.folder).mkdir(parents=True, exist_ok=True)
        return submission_command(self.folder, str(submission_file_path))

    @staticmethod
    def _get_job_id_from_submission_command(string: bytes | str) -> str:
        """``qsub -terse`` prints ``123`` for a job, ``123.1-8:1`` for an array."""
        text = string.decode() if isinstance(string, bytes) else string
        m = re.search(r"^\s*(\d+)(?:\.\S*)?\s*$", text, re.M)
        if m is None:
            raise SgeSubmissionError(f'Could not make sense of the output of qsub -terse: "{text}"')
        return m.group(1)

    # ---------------------------------------------------------------------------------------- job script

    def directives(self) -> list[str]:
        """The qsub options of the job script, one ``#$`` line each."""
        return [line for line in self.job_script("true").splitlines() if line.startswith("#$")]

    def job_script(self, command: str) -> str:
        """The whole job script (``sbatch_templates/sge.qsub.j2``): qsub directives, per-task log files, setup
        lines, then ``exec`` Python."""
        return job_script(self.parameters, self.folder, command, self._map_count, self.description)


def job_script(
    parameters: dict[str, tp.Any], folder: Path, command: str, map_count: int | None, description: str
) -> str:
    """The Grid Engine job script for executor ``parameters`` (an array of ``map_count`` tasks when given)."""
    from hpc import jobscript

    p = {**DEFAULTS, **parameters}
    jobscript.check_log_folder(folder)
    h_rt, warn_at = limits_s(p["timeout_min"], p["signal_delay_s"])
    limits = f"h_rt={format_duration(h_rt)}"
    if p["use_s_rt"]:
        limits += f",s_rt={format_duration(warn_at)}"
    memory = None
    if p["mem_gb"] and p["mem_resource"]:
        mb = p["mem_gb"] * 1024 / (p["slots"] if p["mem_per_slot"] else 1)
        memory = f"{p['mem_resource']}={format_memory(mb)}"
    holds = None
    if p["hold_jid"]:
        given = [p["hold_jid"]] if isinstance(p["hold_jid"], str) else list(p["hold_jid"])
        holds = ",".join(sorted({_job_number(str(h)) for h in given}))
    extra = [
        (jobscript.check_flag(key), True if value is True else str(value))
        for key, value in (p["additional_parameters"] or {}).items()
    ]
    directive_values = {
        "job_name": _job_name(p["job_name"]),
        "memory": memory,
        "gpu_extra": p["gpu_extra"],
        "resources": p["resources"],
        "env": ",".join(f"{k}={v}" for k, v in p["env"].items()) if p["env"] else None,
        **{f"cluster.additional.{k}": v for k, v in extra if v is not True},
    }
    for name, value in directive_values.items():
        if value is not None and re.search(r"[\s'\"\\]", str(value)):
            raise jobscript.JobScriptError(
                f"{name}={value!r}: Grid Engine's #$ lines cannot carry whitespace, quotes or backslashes"
            )
    tags = {"%j": "SUBMITIT_SGE_JOB_ID", "%t": "SUBMITIT_SGE_GLOBAL_RANK", "%A": "JOB_ID"}
    tags["%a"] = "SUBMITIT_SGE_TASK_INDEX"
    paths = utils.JobPaths(folder)
    stdout = shell_path(str(paths.stdout), tags)
    context = {
        "description": description,
        "job_name": directive_values["job_name"],
        "rerunnable": "y" if p["rerunnable"] else "n",
        "time_limits": limits,
        "slots": int(p["slots"]),
        "pe": p["pe"],
        "memory_request": memory,
        "gpus": int(p["gpus_per_node"]),
        "gpu_request": f"{p['gpu_resource']}={p['gpus_per_node']}",
        "gpu_extra": p["gpu_extra"],
        "resources": p["resources"],
        "project": p["project"],
        "queue": p["queue"],
        "hold_jid": holds,
        "export_env": bool(p["export_env"]),
        "env": directive_values["env"],
        "array_size": map_count or 0,
        "array_parallelism": min(map_count or 1, int(p["array_parallelism"])),
        "extra": extra,
        "log_folder": shell_path(str(paths.folder), tags),
        "stdout": stdout,
        "stderr": stdout if p["stderr_to_stdout"] else shell_path(str(paths.stderr), tags),
        "h_rt_s": h_rt,
        "warn_after_s": None if p["use_s_rt"] else warn_at,
        "setup": list(p["setup"] or []),
        "ntasks": int(p["tasks_per_node"]),
        "command": command,
    }
    return jobscript.render(jobscript.SGE_TEMPLATE, context)


def _sge_output(folder: Path) -> Path:
    return utils.JobPaths.get_first_id_independent_folder(folder) / "_sge"


def submission_command(folder: Path, script: str) -> list[str]:
    """``qsub -terse -o <logs>/_sge/ -e <logs>/_sge/ <script>``. The output folder goes on the command line,
    not in a ``#$`` line: qsub reads the script's directives with a parser of its own, which mangles quotes and
    splits on spaces, while its arguments arrive as they are."""
    out = f"{_sge_output(folder)}/"
    return ["qsub", "-terse", "-o", out, "-e", out, script]


def _job_number(job_id: str) -> str:
    """The job number of a submitit id, or a dry run's placeholder as it is."""
    from hpc.jobscript import Placeholder

    return job_id if isinstance(job_id, Placeholder) or job_id.startswith("<") else split_job_id(job_id)[0]


def check_folder(folder: Path) -> None:
    """qsub reads ``-o [host:]path``: a colon would name a host."""
    if ":" in str(folder):
        raise ValueError(f"Grid Engine cannot write logs to a folder with a colon in its name: {folder}")


def _job_name(name: str) -> str:
    """Grid Engine refuses job names with / : @ \\ * ? or starting with a digit."""
    clean = re.sub(r"[/:@\\*?\s'\"]", "_", str(name)) or "submitit"
    return clean if not clean[0].isdigit() else f"j{clean}"


def check_parameters(p: dict[str, tp.Any]) -> None:
    """Refuse values Grid Engine would reject later, or that this executor cannot do."""
    if float(p["timeout_min"]) <= 0:
        raise ValueError(f"timeout_min must be positive, got {p['timeout_min']}")
    if int(p["signal_delay_s"]) < 0:
        raise ValueError(f"signal_delay_s must be 0 or more, got {p['signal_delay_s']}")
    for key in ("slots", "array_parallelism", "nodes", "tasks_per_node"):
        if int(p[key]) < 1:
            raise ValueError(f"{key} must be at least 1, got {p[key]}")
    if int(p["nodes"]) > 1:
        raise ValueError(
            "the Grid Engine executor runs a job on one host (nodes=1); use tasks_per_node for several ranks there"
        )
    if int(p["gpus_per_node"]) < 0:
        raise ValueError(f"gpus_per_node must be 0 or more, got {p['gpus_per_node']}")
    if p["mem_gb"] is not None and float(p["mem_gb"]) <= 0:
        raise ValueError(f"mem_gb must be positive, got {p['mem_gb']}")
    if p["slots"] > 1 and not p["pe"]:
        raise ValueError("slots > 1 needs a parallel environment (pe: smp, omp, ...)")
    for key in ("pe", "project", "queue", "mem_resource", "gpu_resource"):
        if p[key] is not None and not re.fullmatch(r"[\w.@+-]+", str(p[key])):
            raise ValueError(f"{key}={p[key]!r} is not a Grid Engine name")
    for key in ("resources", "gpu_extra"):
        if p[key] is not None and ("\n" in str(p[key]) or not str(p[key]).strip()):
            raise ValueError(f"{key}={p[key]!r} is not a resource list (name=value,name=value)")
    if p["env"] is not None and any("," in str(v) or "\n" in str(v) for v in p["env"].values()):
        raise ValueError("env values cannot contain commas or newlines (qsub -v splits on commas)")
    if p["hold_jid"]:
        holds = [p["hold_jid"]] if isinstance(p["hold_jid"], str) else list(p["hold_jid"])
        for h in holds:
            split_job_id(str(h))
    for key, value in (p["additional_parameters"] or {}).items():
        if "\n" in str(key) + str(value):
            raise ValueError(f"additional_parameters {key!r}: no newlines")
    if p["setup"] is not None and isinstance(p["setup"], str):
        raise ValueError("setup is a list of shell lines, not one string")
