"""The training loop's settings, shared by the ``train`` and ``phenology`` sections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from herbproc.schema.build import check_at_least, check_between, check_choice, wrong

OPTIMIZERS = ("sgd", "adamw")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
DEVICES = ("auto", "cpu", "cuda")  # where a model runs (training, evaluation, prediction)
BACKENDS = ("auto", "nccl", "gloo")  # torch.distributed


@dataclass
class LoopSettings:
    """The training loop's settings: the same keys under ``train`` (IELT) and ``phenology`` (its separate model,
    which the same trainer trains with these values: ``herbproc.phenology.train.training_config``). Defaults are
    IELT's; ``phenology.Settings`` gives its own."""

    epochs: int = 50
    batch_size: int = 16  # per rank
    optimizer: str = "sgd"  # sgd (nesterov, official) | adamw
    lr: float = 0.32  # at a global batch of lr_batch images (official cub.yaml: 0.32 per 512)
    lr_batch: int = 512  # the lr is scaled by global batch / lr_batch; 0 = use lr as it is
    min_lr: float = 0.0  # cosine floor (absolute)
    warmup_epochs: float = 0.0  # linear warm-up from warmup_lr_scale * lr (official 0)
    weight_decay: float = 0.0
    color_jitter: float = 0.4  # brightness, contrast and saturation factor range; 0 = off
    hflip: bool = True
    precision: str = "auto"  # auto (bf16 on GPU, fp32 on CPU) | fp32 | bf16 | fp16 (with GradScaler)
    eval_every: int = 1  # epochs between validation passes (and always after the last)
    checkpoint_every: int = 500  # steps between resumable checkpoints (and at each epoch end)
    keep_checkpoints: int = 2  # resumable checkpoints kept (the newest)
    workers: int = 4  # DataLoader worker processes per rank (0 = load in the training process)
    max_steps: int = 0  # stop after this many optimizer steps in total (0 = all epochs); for smoke runs
    use_masked: bool = True  # train on the masked sheets (stage=mask); false: the raw sheets

    section: ClassVar[str] = "train"  # the key prefix in error messages

    def __post_init__(self) -> None:
        at = f"{self.section}."
        check_choice(at + "optimizer", self.optimizer, OPTIMIZERS)
        check_choice(at + "precision", self.precision, PRECISIONS)
        check_at_least(self, at, ("epochs", "batch_size", "eval_every", "keep_checkpoints"), 1)
        check_at_least(self, at, ("lr_batch", "checkpoint_every", "workers", "max_steps"), 0)
        check_at_least(self, at, ("min_lr", "warmup_epochs", "weight_decay"), 0)
        if self.lr <= 0:
            raise wrong(at + "lr", self.lr, "must be positive")
        check_between(at + "color_jitter", self.color_jitter, 0.0, 1.0, high_open=True)
