"""``herbproc``: the one command line.

    herbproc launch stage=<name> shards=<N> run_dir=<dir> [cluster=local|slurm|sge|scc] [wait=true] [key=value ...]
    herbproc status run_dir=<dir> [format=text|json]
    herbproc run stage=train run_dir=<dir> [key=value ...]      # in this process (under torchrun for many GPUs)
    herbproc mask|mask-eval|ocr|synth ...                       # one-off tools on a few files

Every command reads ``key=value`` arguments with Hydra's grammar and answers with one exit-code map:
0 done (or submitted), 1 a shard failed, 2 configuration error, 3 the stage is already running.
``python jobs/launch.py`` and ``python jobs/status.py`` are the same commands as ``herbproc launch|status``.
It lives at the scheduler edge because ``launch`` and ``status`` need ``hpc``; the science package's tools
(``herbproc.cli``) never import it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

from herbproc.cli import build_parser, run
from herbproc.commandline import ConfigError, ExitCode, override_values, setup_logging

LAUNCH_USAGE = __doc__.split("\n\n")[1].splitlines()[0].strip()


def launch_command(argv: list[str]) -> int:
    """Launch a herbproc stage (or the whole pipeline) as sharded jobs; dry_run=true prints and submits nothing."""
    if not argv or argv[0] in ("-h", "--help"):
        print(launch_command.__doc__ + "\n\n    " + LAUNCH_USAGE)
        return ExitCode.DONE if argv else ExitCode.CONFIG_ERROR
    from hpc.backends import SchedulerError
    from hpc.launcher import LaunchError, launch

    setup_logging()
    try:
        return launch(argv)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return ExitCode.CONFIG_ERROR
    except LaunchError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except SchedulerError as e:
        print(f"error: {e}", file=sys.stderr)
        return ExitCode.SHARD_FAILED
    except KeyboardInterrupt:
        print("interrupted; finished shards are kept, relaunch to continue", file=sys.stderr)
        return ExitCode.INTERRUPTED


@dataclass
class StatusArgs:
    run_dir: str
    format: str = "text"


def status_args(argv: list[str]) -> StatusArgs:
    bad = [a for a in argv if "=" not in a]
    if bad:
        raise ConfigError(f"argument '{bad[0]}' is not key=value (example: run_dir=runs/demo format=json)")
    given = {}
    for key, value in override_values(argv):
        if key not in StatusArgs.__dataclass_fields__:
            raise ConfigError(f"unknown or bad key '{key}' (valid keys: run_dir, format)")
        given[key] = "" if value is None else str(value)
    if not given.get("run_dir"):
        raise ConfigError("missing required value 'run_dir' (give run_dir=<dir>)")
    args = StatusArgs(**given)
    if args.format not in ("text", "json"):
        raise ConfigError(f"wrong value for 'format': '{args.format}' (choices: text, json)")
    return args


def status_command(argv: list[str]) -> int:
    """Where a run stands: per stage, shards done / running / failed / pending, items, rate, ETA, failures."""
    if argv and argv[0] in ("-h", "--help"):
        print(status_command.__doc__ + "\n\n    herbproc status run_dir=<dir> [format=text|json]")
        return ExitCode.DONE
    try:
        args = status_args(argv)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return ExitCode.CONFIG_ERROR
    from hpc.status import gather, render, to_json

    try:
        status = gather(args.run_dir)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return ExitCode.CONFIG_ERROR
    print(to_json(status) if args.format == "json" else render(status))
    failed = any(s["failed"] for s in status["stages"])
    return ExitCode.SHARD_FAILED if failed else ExitCode.DONE


def run_command(argv: list[str]) -> int:
    from herbproc.ielt.run import main as run_in_process

    return run_in_process(argv)


COMMANDS: dict[str, tuple[Callable[[list[str]], int], str]] = {
    "launch": (launch_command, "run a stage or the pipeline as sharded jobs (local, SLURM, SGE)"),
    "status": (status_command, "where a run stands"),
    "run": (run_command, "run a training/inference stage in this process (torchrun-friendly)"),
}


def add_commands(sub: argparse._SubParsersAction) -> None:
    for name, (func, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, add_help=False)
        p.set_defaults(func=func)
        p._herbproc_raw = True  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # before the tools' parsers are built: they import torch, and launch must start at once
    if argv and argv[0] in COMMANDS:
        return int(COMMANDS[argv[0]][0](argv[1:]))
    return run(build_parser(extra=add_commands, description=__doc__.splitlines()[0]), argv)


if __name__ == "__main__":
    sys.exit(main())
