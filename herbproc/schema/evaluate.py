from __future__ import annotations

from dataclasses import dataclass

from herbproc.schema.build import check_at_least, check_choice
from herbproc.schema.loop import DEVICES

SECTION = "evaluate"
SPLITS = ("test", "val", "train", "all")


@dataclass
class Settings:
    """stage=evaluate: the trained model on one labelled split (docs/training.md)."""

    checkpoint: str | None = None  # a model file (train/model.pt or a resumable checkpoint); None: the run's
    split: str = "test"  # test | val | train | all
    batch_size: int = 64
    topk: int = 5  # top-k accuracy
    calibration_bins: int = 15  # reliability diagram / ECE bins
    worst_classes: int = 8  # classes shown in the report with sample images
    samples_per_class: int = 3
    device: str = "auto"  # auto | cpu | cuda
    workers: int = 2

    def __post_init__(self) -> None:
        check_choice("evaluate.split", self.split, SPLITS)
        check_at_least(self, "evaluate.", ("batch_size", "topk", "calibration_bins"), 1)
        check_at_least(self, "evaluate.", ("worst_classes", "samples_per_class", "workers"), 0)
        check_choice("evaluate.device", self.device, DEVICES)
