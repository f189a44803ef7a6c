"""The herbproc tools: one-off work on a few files, no scheduler and no run directory.

Each tool lives next to its science: a module with ``add_parser(subparsers)`` that registers the command and sets
``func`` (taking the parsed args, returning an exit code). The ``herbproc`` console script (``hpc/cli.py``) adds
``launch``, ``status`` and ``run`` to these; batch work goes through ``herbproc launch``.

Tools read the same ``key=value`` grammar as ``herbproc launch``: a tool's own option by name
(``out_dir=out/``, ``json=true``, ``names=taxa.txt``) and any setting of its section, with or without the section
name (``mask.fill=telea`` or ``fill=telea``). The older ``-o out/ --set fill=telea`` spelling keeps working.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

import herbproc
from herbproc.commandline import ExitCode, is_override

# subcommand -> module providing add_parser(subparsers)
COMMANDS = {
    "synth": "herbproc.synth.cli",
    "mask": "herbproc.mask.cli",
    "mask-eval": "herbproc.mask.cli",
    "ocr": "herbproc.ocr.cli",
}


def build_parser(
    extra: Callable[[argparse._SubParsersAction], None] | None = None, description: str = ""
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="herbproc", description=description or __doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"herbproc {herbproc.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if extra:
        extra(sub)
    for module_name in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(module_name).add_parser(sub)
    return parser


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(command)
    return None


def as_options(sub: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """A tool's ``key=value`` arguments rewritten into its options, so argparse reads both spellings."""
    options = {a.dest: a for a in sub._actions if a.option_strings and a.dest != "help"}
    takes_value = {s for a in options.values() if a.nargs != 0 for s in a.option_strings}
    positional, rewritten = [], []
    after_option = False
    for arg in argv:
        if after_option or not is_override(arg):  # the value of -o/--set stays where it is
            positional.append(arg)
            after_option = arg.split("=", 1)[0] in takes_value and "=" not in arg
            continue
        key, _, value = arg.partition("=")
        dest = key.replace("-", "_")
        head, _, rest = key.partition(".")
        action = options.get(dest)
        if action is not None and action.nargs == 0:  # a switch: json=true
            if value.strip().lower() in ("true", "1", "yes"):
                rewritten.append(action.option_strings[-1])
            elif value.strip().lower() not in ("false", "0", "no"):
                raise ValueError(f"{key} takes true or false, not {value!r}")
        elif action is not None and not isinstance(action, argparse._AppendAction):
            rewritten += [action.option_strings[-1], value]
        elif rest and isinstance(options.get(head), argparse._AppendAction) and head != "set":
            rewritten += [options[head].option_strings[-1], f"{rest}={value}"]  # mask-eval synth.blur=1.5
        elif "set" in options:
            rewritten += ["--set", arg]
        else:
            raise ValueError(f"unknown argument {arg!r}")
    return positional + rewritten


def run(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    if argv and not argv[0].startswith("-"):
        sub = _subparser(parser, argv[0])
        if sub is not None and getattr(sub, "_herbproc_raw", False):
            return int(sub.get_default("func")(argv[1:]))  # launch/status/run take the raw key=value list
        if sub is not None:
            try:
                argv = [argv[0], *as_options(sub, argv[1:])]
            except ValueError as e:
                print(f"herbproc {argv[0]}: error: {e}", file=sys.stderr)
                return ExitCode.CONFIG_ERROR
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return ExitCode.CONFIG_ERROR
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, ValueError) as e:
        print(f"herbproc {args.command}: error: {e}", file=sys.stderr)
        return ExitCode.CONFIG_ERROR


def main(argv: list[str] | None = None) -> int:
    return run(build_parser(), list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
