"""The separate phenology model: a timm network (or the built-in ``spotnet``) with one logit per label
(flowers, fruits, buds) on the whole sheet, and the views it reads.

Unlike IELT's square crop, the view keeps the sheet whole (flowers often sit at the top of the plant, fruits
low on it): the stored canvas is resized to ``height x width`` (``img_size x aspect`` by ``img_size``). The
training view flips and jitters, and with ``min_scale`` < 1 first takes a random crop of at least that share of
each side (off by default: a crop can cut the fruits off the top of a plant and the label would then lie); all
random choices come from the sample's seed (``herbproc.training.sampler``), as IELT's views do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn
from torchvision.transforms.v2 import functional as TF

from herbproc.fields.condition_targets import LABELS
from herbproc.training.checkpoint import CheckpointError, read

MODEL_KIND = "phenology"


@dataclass(frozen=True)
class SheetViews:
    height: int
    width: int
    jitter: float = 0.1
    hflip: bool = True
    min_scale: float = 1.0

    def __post_init__(self) -> None:
        if self.height < 16 or self.width < 16:
            raise ValueError(f"view {self.height} x {self.width} px is too small (at least 16 x 16)")
        if not 0.0 <= self.jitter < 1.0:
            raise ValueError(f"color_jitter must be in [0, 1), got {self.jitter}")
        if not 0.3 <= self.min_scale <= 1.0:
            raise ValueError(f"min_scale must be in [0.3, 1], got {self.min_scale}")

    @classmethod
    def from_settings(cls, img_size: int, aspect: float, jitter: float, hflip: bool, min_scale: float):
        return cls(int(round(img_size * aspect)), int(img_size), float(jitter), bool(hflip), float(min_scale))

    @property
    def resize(self) -> int:
        """The short side the sheet must keep when decoded (JPEG copies are decoded reduced down to it)."""
        return min(self.height, self.width)

    def test(self, image: Tensor) -> Tensor:
        return TF.resize(image, [self.height, self.width], antialias=True).contiguous()

    def train(self, image: Tensor, seed: int) -> Tensor:
        rng = np.random.default_rng(seed)
        h, w = image.shape[-2:]
        ch = max(1, int(round(h * rng.uniform(self.min_scale, 1.0))))
        cw = max(1, int(round(w * rng.uniform(self.min_scale, 1.0))))
        top, left = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
        image = TF.resized_crop(image, top, left, ch, cw, [self.height, self.width], antialias=True)
        if self.hflip and rng.random() < 0.5:
            image = TF.horizontal_flip(image)
        if self.jitter > 0:
            lo, hi = 1.0 - self.jitter, 1.0 + self.jitter
            factors = rng.uniform(lo, hi, size=3)
            ops = (TF.adjust_brightness, TF.adjust_contrast, TF.adjust_saturation)
            for k in rng.permutation(3):
                image = ops[k](image, float(factors[k]))
        return image.contiguous()

    def to_json(self) -> dict[str, Any]:
        return {"height": self.height, "width": self.width}


class SpotNet(nn.Module):
    """A few thousand weights that find small coloured organs anywhere on the sheet: per-pixel colour features
    (1x1 convolutions), ``context`` 3x3 layers, and a global *max* pool, so three pixels of a fruit count as
    much as a hundred. It cannot learn the layout of a sheet, which keeps it from memorising the few sheets of
    a small run (the CPU demo and the tests); real sheets want a timm model with pretrained weights.
    ``spotnet`` (width 16, one 3x3 layer) tells organs apart by colour; ``spotnet_wide`` (width 32, two) also
    by shape, which it needs where one taxon's fruits have another's flower colour (at ~192 px, 4x slower)."""

    def __init__(self, num_labels: int = len(LABELS), width: int = 16, context: int = 1) -> None:
        super().__init__()

        def conv(cin: int, cout: int, k: int) -> nn.Sequential:
            return nn.Sequential(
                nn.Conv2d(cin, cout, k, 1, k // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)
            )

        layers = [conv(3, width, 1), conv(width, width, 1)] + [conv(width, width, 3) for _ in range(context)]
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveMaxPool2d(1)
        self.head = nn.Linear(width, num_labels)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.pool(self.features(x)).flatten(1))


BUILT_IN: dict[str, Callable[[int], nn.Module]] = {
    "spotnet": SpotNet,
    "spotnet_wide": partial(SpotNet, width=32, context=2),
}


class PhenologyNet(nn.Module):
    """``model(x)`` -> (B, len(LABELS)) logits, in train and eval mode alike."""

    def __init__(self, name: str, pretrained: str | None = None, num_labels: int = len(LABELS)) -> None:
        super().__init__()
        self.name = name
        self.backbone = create_backbone(name, num_labels, pretrained)

    def forward(self, x: Tensor) -> Tensor:
        return self.backbone(x)


def create_backbone(name: str, num_labels: int, pretrained: str | None = None) -> nn.Module:
    """A timm model (or a built-in one: ``spotnet``) with ``num_labels`` outputs; ``pretrained`` is a local
    weight file (never a download)."""
    if name in BUILT_IN:
        if pretrained:
            raise ValueError(f"phenology.pretrained: the built-in model {name} has no pretrained weights")
        return BUILT_IN[name](num_labels)
    import timm

    if not timm.is_model(name):
        close = timm.list_models(f"*{name.split('_')[0]}*")[:8]
        raise ValueError(
            f"wrong value for 'phenology.model': '{name}' is not a timm model"
            + (f" (similar: {', '.join(close)})" if close else "")
        )
    if pretrained:
        path = Path(pretrained).expanduser()
        if not path.is_file():
            raise ValueError(f"phenology.pretrained: {path} is not a file (a timm weight file for {name})")
        return timm.create_model(
            name, pretrained=True, num_classes=num_labels, pretrained_cfg_overlay={"file": str(path)}
        )
    return timm.create_model(name, pretrained=False, num_classes=num_labels)


def phenology_meta(model: PhenologyNet, views: SheetViews, **extra: Any) -> dict[str, Any]:
    return {
        "kind": MODEL_KIND,
        "model_name": model.name,
        "labels": list(LABELS),
        "views": views.to_json(),
        **extra,
    }


def load_phenology_model(path: str | Path, device: torch.device | str = "cpu") -> tuple[PhenologyNet, dict]:
    """A trained phenology model (model file or resumable checkpoint of the phenology trainer), in eval mode."""
    state = read(Path(path))
    meta = state.get("meta") or {}
    if meta.get("kind") != MODEL_KIND:
        raise CheckpointError(f"{path} is not a phenology model (phenology.mode=separate writes one)")
    model = PhenologyNet(str(meta["model_name"]), None, len(meta.get("labels", LABELS)))
    try:
        model.load_state_dict(state["model"])
    except (RuntimeError, ValueError) as e:
        raise CheckpointError(f"{path}: the weights do not fit the model it describes: {e}") from None
    return model.to(device).eval(), meta


__all__ = ["BUILT_IN", "PhenologyNet", "SpotNet", "SheetViews", "load_phenology_model", "phenology_meta"]
