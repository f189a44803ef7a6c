from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from herbproc.schema.build import check_at_least, check_between, check_choice, wrong
from herbproc.schema.loop import LoopSettings

SECTION = "phenology"
MODES = ("separate", "joint")


@dataclass
class Settings(LoopSettings):
    """stage=phenology: flowers / fruits / buds per sheet, with an abstain decision (docs/phenology.md).

    ``mode=separate`` trains a small timm model of its own on the store's sheets (the IELT trainer's loop: same
    data feed, DDP, checkpoints and resume; device, backend, threads, momentum, betas, clipping from ``train.*``),
    then predicts; ``mode=joint`` reads the phenology head that stage=train trained beside the species
    (train/model.pt, when stage=train ran with phenology.mode=joint).
    """

    mode: str = "separate"  # separate | joint
    # separate mode: train only with at least this many training sheets whose records state a phenology; with
    # fewer, predict with phenology.checkpoint (a model from another run) when given, else the stage is skipped
    min_labels: int = 20
    # labels from the records: a stated condition ("fl.") makes these labels negative when it does not name them
    unstated_negative: list[str] = field(default_factory=lambda: ["flowers", "fruits", "buds"])
    joint_weight: float = 1.0  # mode=joint: weight of the masked BCE in stage=train's loss
    # mode=separate: the model and its training (the loop's other keys: herbproc.schema.loop, IELT's defaults)
    model: str = (
        "convnext_tiny"  # a timm model name (efficientnet_b0, ...), or spotnet / spotnet_wide (built in, CPU)
    )
    pretrained: str | None = None  # a local timm weight file (.safetensors / .pth); nothing is downloaded
    img_size: int = 256  # sheet width seen by the model, px; height = img_size x aspect
    aspect: float = 1.5  # height / width of the view (the store's canvas is 900 x 600)
    min_scale: float = 1.0  # < 1: training views crop at least this share of each side (may cut organs off)
    epochs: int = 30
    batch_size: int = 32  # per rank
    optimizer: str = "adamw"  # adamw | sgd
    lr: float = 0.001
    lr_batch: int = 0  # lr scaled by global batch / lr_batch; 0 = as given
    warmup_epochs: float = 1.0
    weight_decay: float = 0.05
    color_jitter: float = 0.1  # small: colour is what tells flowers and fruits apart
    # prediction and the abstain decision
    state_labels: list[str] = field(
        default_factory=lambda: ["flowers", "fruits"]
    )  # what the state is made of
    checkpoint: str | None = (
        None  # model file; default phenology/train/model.pt (separate), train/model.pt (joint)
    )
    target_accuracy: float = (
        0.95  # the threshold keeps the most sheets whose validation accuracy reaches this
    )
    threshold: float | None = None  # a fixed confidence threshold instead of choosing one on validation
    predict_batch_size: int = 64
    # outputs
    darwin_core: bool = (
        True  # predicted states into ocr/occurrences.csv (reproductiveCondition), when it exists
    )
    samples_per_state: int = 4  # report: example sheets per predicted state

    section: ClassVar[str] = SECTION

    def __post_init__(self) -> None:
        super().__post_init__()
        from herbproc.fields.condition import BUDS, FLOWERS, FRUITS

        labels = (FLOWERS, FRUITS, BUDS)
        check_choice("phenology.mode", self.mode, MODES)
        for key in ("unstated_negative", "state_labels"):
            unknown = [n for n in getattr(self, key) if n not in labels]
            if unknown:
                raise wrong(f"phenology.{key}", unknown, f"any of: {', '.join(labels)}")
        if not self.state_labels or len(set(self.state_labels)) != len(self.state_labels):
            raise wrong("phenology.state_labels", list(self.state_labels), f"one or more of {', '.join(labels)}, once each")
        if not 0.0 < self.target_accuracy <= 1.0:
            raise wrong("phenology.target_accuracy", self.target_accuracy, "must be in (0, 1]")
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise wrong("phenology.threshold", self.threshold, "a confidence in [0, 1], or null to choose one on validation")
        check_at_least(self, "phenology.", ("predict_batch_size",), 1)
        check_at_least(self, "phenology.", ("samples_per_state", "min_labels", "joint_weight"), 0)
        if self.img_size < 16:
            raise wrong("phenology.img_size", self.img_size, "at least 16 px")
        check_between("phenology.aspect", self.aspect, 0.5, 4.0)
        check_between("phenology.min_scale", self.min_scale, 0.3, 1.0)
