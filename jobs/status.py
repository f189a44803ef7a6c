#!/usr/bin/env python
"""Show where a run stands.

    python jobs/status.py run_dir=<dir> [format=text|json]

Per stage: shards done / running / failed / pending, items done and failed, items per second, ETA, and for each
failed shard the reason and the last lines of its log. Asks each scheduler once for the whole run.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from omegaconf import MISSING, OmegaConf  # noqa: E402
from omegaconf.errors import OmegaConfBaseException  # noqa: E402


@dataclass
class StatusArgs:
    run_dir: str = MISSING
    format: str = "text"


def parse(argv: list[str]) -> StatusArgs:
    bad = [a for a in argv if "=" not in a]
    if bad:
        raise ValueError(f"argument '{bad[0]}' is not key=value (example: run_dir=runs/demo format=json)")
    try:
        cfg = OmegaConf.merge(OmegaConf.structured(StatusArgs), OmegaConf.from_dotlist(argv))
    except OmegaConfBaseException as e:
        key = getattr(e, "full_key", None) or "?"
        raise ValueError(f"unknown or bad key '{key}' (valid keys: run_dir, format)") from None
    if OmegaConf.is_missing(cfg, "run_dir"):
        raise ValueError("missing required value 'run_dir' (give run_dir=<dir>)")
    if cfg.format not in ("text", "json"):
        raise ValueError(f"wrong value for 'format': '{cfg.format}' (choices: text, json)")
    return cfg


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    try:
        args = parse(argv)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    from hpc.status import gather, render, to_json

    try:
        status = gather(args.run_dir)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(to_json(status) if args.format == "json" else render(status))
    failed = any(s["failed"] for s in status["stages"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
