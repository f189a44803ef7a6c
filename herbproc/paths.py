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

from dataclasses import dataclass
from pathlib import Path


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
