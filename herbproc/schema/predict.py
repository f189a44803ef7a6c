from __future__ import annotations

from dataclasses import dataclass

SECTION = "predict"


@dataclass
class Settings:
    """stage=predict: top-k species of every stored sheet, labelled or not (docs/training.md)."""

    checkpoint: str | None = None  # a model file; None: <run_dir>/train/model.pt
    store: str | None = None  # another run directory or store to predict; None: this run's store
    split: str = "all"  # all | train | val | test (a split needs the manifest beside the store)
    variant: str = "auto"  # auto: what the model was trained on (masked / raw) | masked | raw
    topk: int = 5
    batch_size: int = 64
    device: str = "auto"  # auto | cpu | cuda
    workers: int = 2
