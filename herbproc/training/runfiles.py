"""The training files of a run and its store, without torch: what a stage's checks (run by the launcher before
anything starts) and its report section read. ``herbproc.training.trainer``, ``.data`` and ``herbproc.ielt.infer``
re-export these names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from herbproc.paths import RunPaths
from herbproc.store.layout import StoreError
from herbproc.store.store import ImageStore, open_store

STAGE = "train"  # the folder of the run the trainer writes to
METRIC_COLUMNS = [
    "epoch",
    "steps",
    "train_loss",
    "train_top1",
    "val_loss",
    "val_top1",
    "val_top5",
    "val_macro_f1",
    "lr",
    "seconds",
    "images_per_s",
]


def train_dir(run_dir: str | Path) -> Path:
    return RunPaths(run_dir).stage_dir(STAGE)


def model_path(run_dir: str | Path) -> Path:
    return train_dir(run_dir) / "model.pt"


def default_checkpoint(run_dir: str | Path) -> Path:
    return RunPaths(run_dir).stage_dir("train") / "model.pt"


def checkpoint_file(setting: str | None, run_dir: str | Path) -> Path:
    """The model file a stage loads: the setting, else ``<run_dir>/train/model.pt``; a clear error if absent."""
    path = Path(setting).expanduser() if setting else default_checkpoint(run_dir)
    if not path.is_file():
        hint = "run stage=train first" if not setting else "give an existing model file"
        raise FileNotFoundError(f"model file {path} does not exist: {hint}")
    return path


def check_pretrained(cfg: Any) -> None:
    """``train.pretrained``: given where the data profile asks for it, and a file."""
    s = cfg.train
    if s.require_pretrained and not s.pretrained:
        raise ValueError(
            f"missing required value 'train.pretrained' (data={cfg.data.name} trains from pretrained weights): give "
            "train.pretrained=/path/to/ViT-B_16.npz (docs/training.md: where to get it, how to place it on a cluster)"
        )
    if s.pretrained and not Path(s.pretrained).expanduser().is_file():
        raise ValueError(
            f"train.pretrained: {s.pretrained} is not a file (give a Google ViT .npz, e.g. ViT-B_16.npz)"
        )


def store_variant(store: ImageStore, use_masked: bool) -> str:
    """``masked`` when asked for and the mask stage has finished, ``raw`` when not asked; else a clear error."""
    if not use_masked:
        return "raw"
    if "image_masked" not in store.layout.arrays or "mask" not in store.layout.complete:
        state = "has not finished" if "image_masked" in store.layout.arrays else "has not run"
        raise StoreError(
            f"{store.path}: training uses the masked sheets (train.use_masked=true) but stage=mask {state} "
            "here; run stage=mask first, or set train.use_masked=false to train on the raw sheets"
        )
    return "masked"


def open_run_store(run_dir: str | Path) -> ImageStore:
    path = RunPaths(run_dir).store
    if not (path / "layout.json").exists():
        raise FileNotFoundError(f"{path} holds no image store: run stage=download first")
    return open_store(path)
