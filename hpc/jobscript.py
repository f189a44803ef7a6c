"""Job scripts rendered from the templates in ``sbatch_templates/`` (Jinja2): what herbproc hands to sbatch and qsub.

Every value a template writes with ``{{ value }}`` is shell-quoted (``shlex.quote``). Only values the template
passes through ``| trusted`` are written as they are: the ``cluster.setup`` lines and ``cluster.python`` (shell by
design: ``module load ...``, ``singularity exec ... python``), the command the executor builds from them, and
paths the executor has already quoted. Values that would add lines to the script (line breaks) are refused, and
so are values a scheduler's directive parser reads differently from the shell (backslashes for ``#SBATCH``;
whitespace and quotes for Grid Engine's ``#$``), before anything is rendered or written.
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from herbproc.config import ConfigError

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "sbatch_templates"
SLURM_TEMPLATE = "slurm.sbatch.j2"
SGE_TEMPLATE = "sge.qsub.j2"

#: scheduler options named by users (cluster.additional): letters, digits, - and _
FLAG_NAME = re.compile(r"-{0,2}[A-Za-z][A-Za-z0-9_-]*")


class JobScriptError(ConfigError):
    """A configuration value cannot go into a job script safely; the message names it."""


class Trusted(str):
    """A value written into the job script as it is (``| trusted`` in a template)."""


class Placeholder(str):
    """A job id that exists only once an earlier submission is made (dry runs of pipelines): ``<noop#1>``."""


@dataclass(frozen=True)
class Submission:
    """One scheduler submission as a dry run shows it: the command line and the job script it submits."""

    command: list[str]
    script: str
    script_path: str


def _quote(value: Any) -> str:
    if isinstance(value, Trusted):
        return str(value)
    if value is None:
        raise JobScriptError("a job script template wrote an undefined value (a template bug)")
    return shlex.quote(str(value))


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=_quote,
    )
    env.filters["trusted"] = Trusted
    return env


def render(template: str, context: dict[str, Any]) -> str:
    """The text of ``template`` for ``context``, after refusing values with line breaks."""
    check_one_line(context)
    try:
        return _environment().get_template(template).render(**context)
    except JobScriptError:
        raise
    except Exception as e:  # a missing or broken template
        raise JobScriptError(f"cannot render job script template {TEMPLATE_DIR / template}: {e}") from None


def check_one_line(value: Any, name: str = "value") -> None:
    """Refuse line breaks (and NUL) anywhere in ``value``: one would start a new line of the script."""
    if isinstance(value, dict):
        for k, v in value.items():
            check_one_line(str(k), f"{name} key")
            check_one_line(v, str(k) if name == "value" else f"{name}.{k}")
    elif isinstance(value, (list, tuple)):
        for v in value:
            check_one_line(v, name)
    elif isinstance(value, (str, Path)) and re.search(r"[\n\r\0]", str(value)):
        raise JobScriptError(f"{name}={str(value)!r} has a line break: job script values must be one line")


def check_flag(name: str) -> str:
    """An option name from cluster.additional, without leading dashes."""
    if not FLAG_NAME.fullmatch(str(name)):
        raise JobScriptError(
            f"cluster.additional: {name!r} is not a scheduler option name (letters, digits, - and _)"
        )
    return str(name).lstrip("-")


def check_log_folder(folder: Path) -> None:
    """submitit and the schedulers read % in log paths as patterns (%j, %A, %a, %t, %x...)."""
    if "%" in str(folder).replace("%j", ""):
        raise JobScriptError(
            f"run_dir: '{folder}' has a % sign, which the scheduler reads as a file name pattern; "
            f"use a run_dir without %"
        )


def submit_command(python: str, folder: Path) -> str:
    """What every job runs: ``<python> -u -m submitit.core._submit <log folder>`` (python is trusted)."""
    return f"{python} -u -m submitit.core._submit {shlex.quote(str(folder))}"


def compact_ranges(numbers: list[int]) -> str:
    """[0, 1, 2, 5, 7, 8] -> "0-2, 5, 7-8"."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


# ------------------------------------------------------------------------------------------------ SLURM

#: submitit SlurmExecutor parameters the template writes on lines of their own
SLURM_NAMED = (
    "job_name",
    "time",
    "nodes",
    "ntasks_per_node",
    "cpus_per_task",
    "mem",
    "gpus_per_node",
    "partition",
    "account",
    "qos",
    "gres",
    "constraint",
    "dependency",
)
#: parameters that shape the script rather than become an #SBATCH line of the same name
SLURM_SHAPING = {
    "signal_delay_s",
    "setup",
    "array_parallelism",
    "map_count",
    "additional_parameters",
    "stderr_to_stdout",
    "use_srun",
}
SLURM_UNSUPPORTED = ("srun_args", "teardown", "num_gpus")


def slurm_script(parameters: dict[str, Any], folder: Path, command: str, description: str) -> str:
    """The sbatch script for submitit SlurmExecutor ``parameters`` (as submitit would write it: same options,
    ``--array=0-N%P`` when ``map_count`` is set, ``--signal=USR2@<signal_delay_s>``, setup lines, then
    ``srun --unbuffered --kill-on-bad-exit=1 --output ... <command>``), from ``sbatch_templates/slurm.sbatch.j2``."""
    from submitit.core.utils import JobPaths
    from submitit.slurm.slurm import SlurmJobEnvironment

    p = {k: v for k, v in parameters.items() if v is not None}
    unsupported = [k for k in SLURM_UNSUPPORTED if p.get(k)]
    if unsupported:
        raise JobScriptError(f"herbproc's SLURM job script does not write {', '.join(unsupported)}")
    check_log_folder(folder)
    paths = JobPaths(folder=folder)
    stdout, stderr = str(paths.stdout), str(paths.stderr)
    array = None
    if p.get("map_count"):
        n = int(p["map_count"])
        array = f"0-{n - 1}%{min(n, int(p.get('array_parallelism', 256)))}"
        stdout, stderr = stdout.replace("%j", "%A_%a"), stderr.replace("%j", "%A_%a")
    named: dict[str, Any] = {k: p.get(k) for k in SLURM_NAMED}
    named["job_name"] = named["job_name"] or "submitit"
    named["time"] = named["time"] or 5
    named["nodes"] = named["nodes"] or 1
    extra: dict[str, Any] = {k: v for k, v in p.items() if k not in SLURM_NAMED and k not in SLURM_SHAPING}
    for key, value in (p.get("additional_parameters") or {}).items():
        name = check_flag(key).replace("-", "_")  # cluster.additional wins, as in submitit
        if name in SLURM_NAMED:
            named[name] = value
        else:
            extra[name] = value
    for name, value in {**named, **extra, "run_dir": folder}.items():
        if "\\" in str(value):
            raise JobScriptError(
                f"{name}={str(value)!r} has a backslash, which sbatch reads as an escape in #SBATCH lines"
            )
    separate_stderr = not p.get("stderr_to_stdout")
    context = {
        **named,
        "description": description,
        "array": array,
        "signal": f"{SlurmJobEnvironment.USR_SIG}@{int(p.get('signal_delay_s', 90))}",
        "stdout": stdout.replace("%t", "0"),
        "stderr": stderr.replace("%t", "0") if separate_stderr else None,
        "extra": sorted((k.replace("_", "-"), v) for k, v in extra.items() if v is not False),
        "setup": list(p.get("setup") or []),
        "use_srun": p.get("use_srun", True),
        "srun_stdout": stdout,
        "srun_stderr": stderr if separate_stderr else None,
        "command": command,
    }
    return render(SLURM_TEMPLATE, context)
