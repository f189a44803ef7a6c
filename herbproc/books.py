"""The run's books: what a launch keeps, whoever launches (``herbproc launch`` or ``torchrun -m
herbproc.ielt.run``) — the stage's plan (how many shards it has: ``state/<stage>/plan.json``) and its resolved
configuration (``config/<stage>.yaml``) — and ``StageState``, the one view of a stage's books that the launcher,
``jobs/status.py`` and the report share."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from herbproc import config as config_mod
from herbproc.io import atomic_write_json, atomic_write_text, read_json
from herbproc.paths import RunPaths
from herbproc.shard import planned_shards


class PlanError(ValueError):
    """A launch asks for a shard count other than the one shards of the stage were already finished with."""


def check_plan(paths: RunPaths, cfg: Any) -> int:
    """The stage's number of shards; refuse a count other than the one shards were already finished with."""
    stage, n = cfg.stage.name, planned_shards(cfg)
    plan = read_json(paths.plan(stage))
    if plan is not None and plan.get("shards") != n:
        done = sum(paths.marker(stage, i).exists() for i in range(plan["shards"]))
        if done:
            raise PlanError(
                f"stage {stage} in {paths.root} was planned with shards={plan['shards']} and {done} of them are "
                f"done; relaunch with shards={plan['shards']}, or use a new run_dir"
            )
    return n


def ensure_plan(paths: RunPaths, cfg: Any) -> int:
    """Record how many shards the stage has; a relaunch with another count would mix up the markers."""
    stage, n = cfg.stage.name, check_plan(paths, cfg)
    plan = read_json(paths.plan(stage))
    if plan is None or plan.get("shards") != n:
        atomic_write_json(
            paths.plan(stage), {"stage": stage, "shards": n, "kind": cfg.stage.kind, "time": time.time()}
        )
    return n


def save_config(paths: RunPaths, cfg: Any) -> Path:
    return atomic_write_text(paths.config_dir / f"{cfg.stage.name}.yaml", config_mod.to_yaml(cfg))


@dataclass
class StageState:
    """A stage's books as they are on disk, without asking a scheduler: its plan, each shard's marker, start
    record and failure record, its skip reason and its finalize record. The launcher, ``jobs/status.py`` and the
    report read a stage through this one view."""

    stage: str
    shards: int
    markers: dict[int, dict[str, Any]] = field(default_factory=dict)
    starts: dict[int, dict[str, Any]] = field(default_factory=dict)
    failed: dict[int, dict[str, Any]] = field(default_factory=dict)
    skipped: str | None = None
    finalized: dict[str, Any] | None = None

    @classmethod
    def read(cls, paths: RunPaths, stage: str, shards: int | None = None) -> StageState:
        """The books of ``stage``; ``shards`` defaults to the stage's plan (0 when it was never planned)."""
        n = int(read_json(paths.plan(stage), {}).get("shards", 0)) if shards is None else shards

        def records(path_of) -> dict[int, dict[str, Any]]:
            found = ((i, read_json(path_of(stage, i))) for i in range(n))
            return {i: r for i, r in found if r is not None}

        markers = records(paths.marker)
        skips = (m.get("extra", {}).get("skipped") for m in markers.values())  # as herbproc.shard.skip_reason
        return cls(
            stage=stage,
            shards=n,
            markers=markers,
            starts=records(paths.started),
            failed=records(paths.failed),
            skipped=next((str(reason) for reason in skips if reason), None),
            finalized=read_json(paths.finalized(stage)),
        )

    @property
    def done(self) -> list[int]:
        return sorted(self.markers)

    @property
    def not_done(self) -> list[int]:
        return [i for i in range(self.shards) if i not in self.markers]

    @property
    def peak_memory_gb(self) -> float | None:
        """The most memory one finished shard's process held (GiB), as their markers record it; None before."""
        peaks = [float(m["peak_memory_gb"]) for m in self.markers.values() if m.get("peak_memory_gb")]
        return max(peaks) if peaks else None

    @property
    def slowest_shard_s(self) -> float | None:
        """The longest a finished shard's last run took (seconds, its marker's), against ``stage.timeout_min``;
        None before."""
        times = [float(m["seconds"]) for m in self.markers.values() if m.get("seconds")]
        return max(times) if times else None

    @property
    def items(self) -> int:
        """Items of the finished shards, as their markers count them."""
        return sum(int(m.get("items", 0)) for m in self.markers.values())
