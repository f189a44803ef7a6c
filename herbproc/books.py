"""The run's books a launch keeps, whoever launches (``herbproc launch`` or ``torchrun -m herbproc.ielt.run``):
the stage's plan (how many shards it has: ``state/<stage>/plan.json``) and its resolved configuration
(``config/<stage>.yaml``)."""

from __future__ import annotations

import time
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
