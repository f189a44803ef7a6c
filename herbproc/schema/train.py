from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from herbproc.schema.build import check_at_least, check_between, check_choice, wrong
from herbproc.schema.loop import BACKENDS, DEVICES, LoopSettings

if TYPE_CHECKING:
    from herbproc.models.ielt.config import IELTConfig

SECTION = "train"


@dataclass
class ModelOverrides:
    """IELTConfig fields that replace the preset's (None: the preset's value); see docs/ielt.md. num_classes
    comes from classes.csv, update_warm from train.update_warm_epochs."""

    img_size: int | None = None  # crop side = model input
    patch_size: int | None = None
    hidden_size: int | None = None
    depth: int | None = None
    num_heads: int | None = None
    mlp_dim: int | None = None
    dropout: float | None = None
    attn_dropout: float | None = None
    vote_perhead: int | None = None
    key_tokens: int | None = None
    total_num: int | None = None
    select_init: list[int] | None = None
    dsm: bool | None = None
    dsm_momentum: float | None = None
    loss_alpha: float | None = None
    label_smoothing: float | None = None
    clr_from_backbone: bool | None = None


@dataclass
class Settings(LoopSettings):
    """stage=train: IELT on the run's store with DistributedDataParallel (docs/training.md).

    Defaults follow the official IELT CUB recipe: SGD nesterov, lr 0.32 per 512 images (scaled linearly to the
    global batch), weight decay 0, per-step cosine to 0, 50 epochs, Resize 600 -> RandomCrop 448 -> flip ->
    ColorJitter 0.4; DSM starts after 10 epochs.
    """

    model: str = "vit_b16_448"  # IELT preset (herbproc.ielt.PRESETS): vit_b16_448 | tiny
    ielt: ModelOverrides = field(
        default_factory=ModelOverrides
    )  # train.ielt.img_size=64 train.ielt.depth=6 ...
    resize: int | None = None  # short side before the crop; None: img_size x 600 / 448 (official 448 -> 600)
    require_pretrained: bool = False  # data=gbif: refuse to train from scratch (train.pretrained must be given)
    pretrained: str | None = None  # Google ViT .npz (ImageNet-21k) to start from; nothing is downloaded
    # a class needs this many stored sheets to count; with fewer than two such classes there is nothing to tell
    # apart (a real download of one sheet per species): the stage is skipped, and evaluate / predict with it
    min_class_sheets: int = 2
    warmup_lr_scale: float = 1e-3
    momentum: float = 0.9
    nesterov: bool = True
    betas: list[float] = field(default_factory=lambda: [0.9, 0.999])  # adamw
    grad_clip: float = 0.0  # max global gradient norm; 0 = off (official)
    balanced: bool = False  # class-balanced sampling (with replacement, inverse class frequency)
    levels: list[str] = field(default_factory=list)  # extra heads + losses: family, genus (classes.csv)
    level_weight: float = 0.3  # weight of each extra level's cross-entropy in the loss
    update_warm_epochs: float = 10.0  # DSM starts after this many epochs (official update_warm = 10)
    eval_batch_size: int = 0  # 0 = 2 x batch_size
    keep_best: bool = True  # model.pt = the epoch with the best validation top-1 (else the last epoch)
    threads: int = 0  # torch CPU threads per rank; 0 = stage.cpus
    device: str = "auto"  # auto (cuda:<local rank> when there is a GPU) | cpu | cuda
    dist_backend: str = "auto"  # auto (nccl on GPUs, gloo on CPU) | nccl | gloo
    dist_timeout_s: int = 1800  # collective timeout
    compile: bool = False  # torch.compile each transformer block (long GPU runs)
    deterministic: bool = False  # torch.use_deterministic_algorithms (bitwise-repeatable CPU runs)

    section: ClassVar[str] = SECTION

    def __post_init__(self) -> None:
        super().__post_init__()
        from herbproc.classes import LEVELS

        check_choice("train.device", self.device, DEVICES)
        check_choice("train.dist_backend", self.dist_backend, BACKENDS)
        check_at_least(self, "train.", ("min_class_sheets",), 1)
        check_at_least(self, "train.", ("threads", "eval_batch_size", "dist_timeout_s"), 0)
        check_at_least(self, "train.", ("grad_clip", "update_warm_epochs", "level_weight"), 0)
        check_between("train.momentum", self.momentum, 0.0, 1.0, high_open=True)
        if len(self.betas) != 2 or not all(0 <= b < 1 for b in self.betas):
            raise wrong("train.betas", list(self.betas), "two values in [0, 1)")
        if any(lv not in LEVELS for lv in self.levels) or len(set(self.levels)) != len(self.levels):
            raise wrong("train.levels", list(self.levels), f"any of: {', '.join(LEVELS)}, once each")
        try:
            size = self.ielt_config().img_size
        except (ValueError, TypeError) as e:
            raise ValueError(f"train.model / train.ielt: {e}") from None
        if self.resize is not None and not 1 <= size <= self.resize:
            raise wrong("train.resize", self.resize, f"the short side before the crop: at least the crop, {size}")

    def model_spec(self) -> dict[str, Any]:
        """``train.model`` and the ``train.ielt.*`` values given: what a checkpoint keeps to rebuild the model."""
        ielt = self.ielt if isinstance(self.ielt, ModelOverrides) else ModelOverrides(**self.ielt)
        return {"preset": self.model, **{k: v for k, v in asdict(ielt).items() if v is not None}}

    def ielt_config(self) -> IELTConfig:
        from herbproc.models.ielt.config import make_config

        spec = self.model_spec()
        return make_config(spec.pop("preset"), **spec)
