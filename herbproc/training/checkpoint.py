"""Training checkpoints and the model file, written atomically (temp file + fsync + rename).

    <run_dir>/train/checkpoints/ckpt-00001200.pt   resumable: model (with the DSM buffers), optimizer, LR
                                                   scheduler, grad scaler, position (epoch, step), per-rank RNG
                                                   states, the metric history; the newest ``keep`` are kept
    <run_dir>/train/model.pt                       what evaluate / predict load: weights + ``meta`` (model
                                                   config, classes, levels, views, image variant)

Everything is saved as tensors and plain Python values, so ``torch.load(weights_only=True)`` reads it back.
"""

from __future__ import annotations

import logging
import random
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import torch

from herbproc.io import atomic_file
from herbproc.models.heads import Classifier
from herbproc.models.ielt.config import IELTConfig
from herbproc.models.ielt.model import IELT

log = logging.getLogger("herbproc.train")
TRAIN_FORMAT = "herbproc-ielt-checkpoint"
MODEL_FORMAT = "herbproc-ielt-model"
NAME = re.compile(r"^ckpt-(\d{8})\.pt$")


class CheckpointError(RuntimeError):
    """A checkpoint or model file is missing, unreadable or not one of ours."""


def save_atomic(obj: Any, path: Path) -> Path:
    """``torch.save`` so that readers see the old file or the whole new one, never a part."""
    with atomic_file(path, sync_dir=True) as f:
        torch.save(obj, f)
    return path


def checkpoint_path(folder: Path, global_step: int) -> Path:
    return folder / f"ckpt-{global_step:08d}.pt"


def list_checkpoints(folder: Path) -> list[tuple[int, Path]]:
    """(global step, path) of every checkpoint in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := NAME.match(p.name))]
    return sorted(found)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` checkpoints; returns what was deleted."""
    doomed = [p for _, p in list_checkpoints(folder)[: -max(1, keep)]]
    for p in doomed:
        p.unlink(missing_ok=True)
    for tmp in folder.glob(".ckpt-*.tmp"):  # left by a process killed while writing
        tmp.unlink(missing_ok=True)
    return doomed


def read(path: Path) -> dict[str, Any]:
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise CheckpointError(f"{path} does not exist") from None
    except Exception as e:
        raise CheckpointError(f"{path} cannot be read: {type(e).__name__}: {e}") from None
    if not isinstance(state, dict) or state.get("format") not in (TRAIN_FORMAT, MODEL_FORMAT):
        raise CheckpointError(f"{path} is not a herbproc IELT checkpoint or model file")
    return state


def latest(folder: Path) -> tuple[Path, dict[str, Any]] | None:
    """The newest checkpoint that reads back whole; older ones are tried when the newest is damaged."""
    for _, path in reversed(list_checkpoints(folder)):
        try:
            return path, read(path)
        except CheckpointError as e:
            log.warning("skipping damaged checkpoint: %s", e)
    return None


# --------------------------------------------------------------------------------------------- RNG


def rng_state() -> dict[str, Any]:
    """This process's random states (python, numpy, torch CPU, every CUDA device), as tensors and lists."""
    kind, keys, pos, has_gauss, gauss = np.random.get_state()
    state: dict[str, Any] = {
        "python": random.getstate(),
        "numpy": [kind, torch.from_numpy(keys.astype(np.int64)), int(pos), int(has_gauss), float(gauss)],
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    kind, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((kind, keys.numpy().astype(np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(state["torch"])
    if state.get("cuda") and torch.cuda.is_available() and len(state["cuda"]) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(state["cuda"])


# --------------------------------------------------------------------------------------------- model file


def model_meta(model: Classifier, **extra: Any) -> dict[str, Any]:
    config = asdict(model.ielt.config)
    config["select_init"] = list(config["select_init"])
    return {
        "model_config": config,
        "level_sizes": model.level_sizes(),
        "level_weight": model.level_weight,
        "multilabel_sizes": model.multilabel_sizes(),
        "multilabel_weight": model.multilabel_weight,
        **extra,
    }


def classifier_from_meta(meta: dict[str, Any]) -> Classifier:
    try:
        config = IELTConfig(**meta["model_config"])
    except (KeyError, TypeError) as e:
        raise CheckpointError(f"the model description in the file is incomplete: {e}") from None
    return Classifier(
        IELT(config),
        meta.get("level_sizes") or {},
        meta.get("level_weight", 0.3),
        meta.get("multilabel_sizes") or {},
        meta.get("multilabel_weight", 1.0),
    )


def save_model(path: Path, model: Classifier, meta: dict[str, Any]) -> Path:
    return save_atomic({"format": MODEL_FORMAT, "model": model.state_dict(), "meta": meta}, path)


def load_model(path: str | Path, device: torch.device | str = "cpu") -> tuple[Classifier, dict[str, Any]]:
    """A trained classifier (model file or resumable checkpoint) in eval mode, and its ``meta``."""
    state = read(Path(path))
    meta = state.get("meta")
    if not meta:
        raise CheckpointError(f"{path} carries no model description (meta)")
    model = classifier_from_meta(meta)
    try:
        model.load_state_dict(state["model"])
    except (RuntimeError, ValueError) as e:
        raise CheckpointError(f"{path}: the weights do not fit the model it describes: {e}") from None
    return model.to(device).eval(), meta
