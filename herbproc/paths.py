"""Where everything lives inside a run directory.

<run_dir>/
  config/<stage>.yaml           resolved configuration of each launch
  manifest.parquet classes.csv  the record table (ingest)
  <stage>/plan.json             number of shards the stage was planned with
  <stage>/shards/shard-00003.*  per-shard state: .items.jsonl journal, .done.json marker,
                                .failed.json traceback, .start.json, .lock
  <stage>/failures.parquet|csv  the stage's failure table (one row per bad item)
  <stage>/jobs.json             scheduler submissions (job ids per shard)
  logs/<stage>/<job id>/        scheduler stdout/stderr of each array task
  report/index.html             the run report
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

# Record ids that may become file names: GBIF's are integers; other sources (a folder's file names, a CSV's ids)
# must be letters, digits, '_', '-', '.' and '+', start with a letter, digit or '_', at most 128 characters.
# ":" keeps the URN record ids of IPT archives (urn:catalog:INST:COLL:CAT); "/" and "\\" never pass
SAFE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+:-]{0,127}")
SAFE_ID_TEXT = "letters, digits, _ . + : - (not first: . + : -), at most 128 characters"


class UnsafePathError(ValueError):
    """A path built from data would leave the folder it belongs in."""


def is_safe_id(value: object) -> bool:
    """True when ``value`` (a record id) may be used as a file name as it is."""
    return isinstance(value, str) and SAFE_ID.fullmatch(value) is not None


def safe_join(root: str | os.PathLike, *parts: str) -> Path:
    """``root / parts`` when the result stays inside ``root``; ``UnsafePathError`` otherwise.

    Every place that turns data (a record id, a class name) into a path goes through here: an absolute part, a
    ``..`` component, a NUL byte or a symbolic link that points out of ``root`` is refused.
    """
    base = Path(root)
    for part in parts:
        text = str(part)
        if not text or "\x00" in text or "\\" in text or os.path.isabs(text):
            raise UnsafePathError(f"refusing path part {text!r} under {base}")
        if any(c in ("", ".", "..") for c in text.split("/")):
            raise UnsafePathError(f"refusing path part {text!r} under {base}: it would leave {base}")
    out = base.joinpath(*parts)
    real_root = os.path.realpath(base)
    real_out = os.path.realpath(out)
    if os.path.commonpath([real_root, real_out]) != real_root or real_out == real_root:
        raise UnsafePathError(f"refusing {out}: it resolves to {real_out}, outside {real_root}")
    return out


def id_path(root: str | os.PathLike, item_id: str, suffix: str = "", *folders: str) -> Path:
    """``root/<folders>/<item_id><suffix>`` for a record id that passes ``is_safe_id``, else ``UnsafePathError``."""
    if not is_safe_id(item_id):
        raise UnsafePathError(f"record id {item_id!r} cannot be a file name ({SAFE_ID_TEXT})")
    return safe_join(root, *folders, f"{item_id}{suffix}")


def shard_name(index: int) -> str:
    return f"shard-{index:05d}"


@dataclass(frozen=True)
class RunPaths:
    root: Path

    def __init__(self, root: str | Path):
        object.__setattr__(self, "root", Path(root).expanduser().absolute())

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.parquet"

    @property
    def store(self) -> Path:
        """The image store every stage reads and the download stage creates (Zarr group or HDF5 parts)."""
        return self.root / "store"

    @property
    def classes(self) -> Path:
        return self.root / "classes.csv"

    @property
    def report_dir(self) -> Path:
        return self.root / "report"

    def stage_dir(self, stage: str) -> Path:
        return self.root / stage

    def state_dir(self, stage: str) -> Path:
        return self.root / "state" / stage

    def shards_dir(self, stage: str) -> Path:
        return self.state_dir(stage) / "shards"

    def _shard_file(self, stage: str, index: int, suffix: str) -> Path:
        return self.shards_dir(stage) / f"{shard_name(index)}{suffix}"

    def marker(self, stage: str, index: int) -> Path:
        return self._shard_file(stage, index, ".done.json")

    def failed(self, stage: str, index: int) -> Path:
        return self._shard_file(stage, index, ".failed.json")

    def journal(self, stage: str, index: int) -> Path:
        return self._shard_file(stage, index, ".items.jsonl")

    def started(self, stage: str, index: int) -> Path:
        return self._shard_file(stage, index, ".start.json")

    def shard_lock(self, stage: str, index: int) -> Path:
        return self._shard_file(stage, index, ".lock")

    def plan(self, stage: str) -> Path:
        return self.state_dir(stage) / "plan.json"

    def jobs(self, stage: str) -> Path:
        return self.state_dir(stage) / "jobs.json"

    def launch_lock(self, stage: str) -> Path:
        return self.state_dir(stage) / "launch.lock"

    def finalized(self, stage: str) -> Path:
        return self.state_dir(stage) / "finalized.json"

    def failures(self, stage: str) -> Path:
        return self.stage_dir(stage) / "failures.parquet"

    def logs(self, stage: str) -> Path:
        return self.root / "logs" / stage

    def stages_started(self) -> list[str]:
        """Stages with a plan in this run directory, oldest plan first."""
        plans = sorted((self.root / "state").glob("*/plan.json"), key=lambda p: p.stat().st_mtime)
        return [p.parent.name for p in plans]
