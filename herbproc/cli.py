"""The herbproc command: one-off work on a few files, no scheduler and no run directory.

Each subcommand lives next to its science: a module with ``add_parser(subparsers)`` that registers the command
and sets ``func`` (taking the parsed args, returning an exit code). Batch work goes through ``jobs/launch.py``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

import herbproc

# subcommand -> module providing add_parser(subparsers)
COMMANDS = {
    "synth": "herbproc.synth.cli",
    "mask": "herbproc.mask.cli",
    "mask-eval": "herbproc.mask.cli",
    "ocr": "herbproc.ocr.cli",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="herbproc", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"herbproc {herbproc.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    seen = set()
    for module_name in dict.fromkeys(COMMANDS.values()):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name and module_name.startswith(e.name):
                continue  # that part of herbproc is not built yet
            raise
        if module_name not in seen:
            module.add_parser(sub)
            seen.add(module_name)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, ValueError) as e:
        print(f"herbproc {args.command}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
