"""What every herbproc command shares: the ``key=value`` grammar, the exit codes and the logging set-up.

``herbproc launch``, ``herbproc status``, the one-off tools (``herbproc mask|ocr|synth``) and
``python -m herbproc.ielt.run`` all read ``key=value`` arguments with Hydra's override grammar (lists as
``[a,b]``, ``null``, quoted strings), answer with the same exit codes and log the same way.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from herbproc.config import ConfigError, parse_overrides


class ExitCode(IntEnum):
    DONE = 0
    SHARD_FAILED = 1
    CONFIG_ERROR = 2
    ALREADY_RUNNING = 3
    INTERRUPTED = 130


def setup_logging(level: int = logging.INFO) -> None:
    """One stderr handler on the root logger (idempotent: a job that calls it again adds none)."""
    root = logging.getLogger()
    if not any(getattr(h, "_herbproc", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
        handler._herbproc = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)


def is_override(arg: str) -> bool:
    """``key=value`` (a dotted key, not an option and not a path that happens to hold '=')."""
    key, sep, _ = arg.partition("=")
    return (
        bool(sep)
        and bool(key)
        and not arg.startswith("-")
        and key.replace(".", "_").replace("-", "_").isidentifier()
    )


def override_values(pairs: Sequence[str]) -> list[tuple[str, Any]]:
    """``[(key, value)]`` of ``key=value`` arguments, values typed by Hydra's grammar; one-line errors."""
    return [(ov.key_or_group, ov.value()) for ov in parse_overrides(pairs)]


def nested(pairs: Sequence[str], *, strip: str = "", example: str = "fill=telea") -> dict[str, Any]:
    """``key=value`` arguments as a nested dict (``trocr.printed=/m`` -> ``{"trocr": {"printed": "/m"}}``).

    ``strip`` drops a leading section name, so ``mask.fill=telea`` and ``fill=telea`` say the same to a tool.
    """
    for pair in pairs:
        if not is_override(pair):
            raise ConfigError(f"--set takes key=value, not {pair!r} (example: --set {example})")
    out: dict[str, Any] = {}
    for key, value in override_values(pairs):
        if strip and key.startswith(strip + "."):
            key = key[len(strip) + 1 :]
        node = out
        *parents, leaf = key.split(".")
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ConfigError(f"'{key}': '{part}' is a value, not a section")
            node = child
        node[leaf] = value
    return out


__all__ = ["ConfigError", "ExitCode", "is_override", "nested", "override_values", "setup_logging"]
