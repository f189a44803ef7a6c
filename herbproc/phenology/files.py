"""The phenology stage's files, without torch: what its checks (run by the launcher before anything starts), its
``finalize`` and its report section read. ``herbproc.phenology.train``, ``.predict`` and ``.model`` re-export
these names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from herbproc.fields.condition_targets import LABELS
from herbproc.paths import RunPaths

STAGE = "phenology"
PROB_COLUMNS = [f"p_{lb}" for lb in LABELS]
BUILT_IN_NAMES = ("spotnet", "spotnet_wide")  # the keys of herbproc.phenology.model.BUILT_IN (no timm name)


def phenology_dir(run_dir: str | Path) -> Path:
    return RunPaths(run_dir).stage_dir(STAGE)


def trained_model_path(run_dir: str | Path) -> Path:
    return phenology_dir(run_dir) / "train" / "model.pt"


def model_file(cfg: Any) -> Path:
    """``phenology.checkpoint``, else the mode's default: phenology/train/model.pt or train/model.pt."""
    p = cfg.phenology
    if p.checkpoint:
        return Path(p.checkpoint).expanduser()
    if p.mode == "joint":
        return RunPaths(cfg.run_dir).stage_dir("train") / "model.pt"
    return trained_model_path(cfg.run_dir)


def parts_dir(run_dir: str | Path) -> Path:
    return phenology_dir(run_dir) / "parts"


def part_path(run_dir: str | Path, rank: int, world: int) -> Path:
    return parts_dir(run_dir) / f"part-{rank:05d}-of-{world:05d}.parquet"


def remove_stale_parts(run_dir: str | Path, world: int) -> None:
    """Parts written by an earlier launch with another number of ranks."""
    for path in parts_dir(run_dir).glob("part-*-of-*.parquet"):
        if not path.name.endswith(f"-of-{world:05d}.parquet"):
            path.unlink(missing_ok=True)


def read_parts(run_dir: str | Path) -> pd.DataFrame:
    """Every rank's part of the newest complete set, sorted by store row."""
    files = sorted(parts_dir(run_dir).glob("part-*-of-*.parquet"))
    if not files:
        raise FileNotFoundError(f"{parts_dir(run_dir)} holds no predictions: run stage=phenology")
    worlds = {int(f.stem.rsplit("-", 1)[1]) for f in files}
    for world in sorted(
        worlds, key=lambda w: -max(f.stat().st_mtime for f in files if f.stem.endswith(f"{w:05d}"))
    ):
        wanted = [part_path(run_dir, r, world) for r in range(world)]
        if all(w.exists() for w in wanted):
            return pd.concat([pd.read_parquet(w) for w in wanted]).sort_values("row").reset_index(drop=True)
    raise FileNotFoundError(f"{parts_dir(run_dir)}: no complete set of rank parts (a rank did not finish)")
