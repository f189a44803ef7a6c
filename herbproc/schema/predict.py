from __future__ import annotations

from dataclasses import dataclass

from herbproc.schema.build import check_at_least, check_choice
from herbproc.schema.loop import DEVICES

SECTION = "predict"
SPLITS = ("all", "train", "val", "test")
VARIANTS = ("auto", "masked", "raw")  # auto: what the model was trained on


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

    def __post_init__(self) -> None:
        check_choice("predict.split", self.split, SPLITS)
        check_choice("predict.variant", self.variant, VARIANTS)
        check_at_least(self, "predict.", ("topk", "batch_size"), 1)
        check_at_least(self, "predict.", ("workers",), 0)
        check_choice("predict.device", self.device, DEVICES)
