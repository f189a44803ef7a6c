"""Sizes and hyper-parameters of the IELT model, with named presets.

The defaults are the official IELT on ViT-B/16 at 448 px (mobulan/IELT, ``configs/cub.yaml`` and the defaults
of ``InterEnsembleLearningTransformer``): 12 heads, 24 votes per head, a budget of 126 tokens spread over the 11
voting layers as ``[16, 14, 12, 10, 8, 6, 8, 10, 12, 14, 16]``, 24 key tokens, loss weight α = 0.4.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OFFICIAL_SELECT_INIT: tuple[int, ...] = (16, 14, 12, 10, 8, 6, 8, 10, 12, 14, 16)


@dataclass(frozen=True)
class IELTConfig:
    img_size: int = 448  # square input side; the patch grid is img_size // patch_size on each side
    patch_size: int = 16
    in_chans: int = 3
    hidden_size: int = 768
    depth: int = 12  # ViT blocks of the backbone: depth - 1 of them vote (the official num_layers = 12)
    num_heads: int = 12
    mlp_dim: int = 3072
    num_classes: int = 200
    dropout: float = 0.1  # embeddings and MLP (the official dropout_rate)
    attn_dropout: float = 0.0  # attention probabilities and attention output (the official att_dropout)
    vote_perhead: int = 24  # patches each head votes for, in every voting layer and in the CLR vote
    key_tokens: int = 24  # tokens the CLR vote keeps for the key block (hard-coded 24 in the official code)
    total_num: int = 126  # token budget shared by the voting layers
    select_init: tuple[int, ...] | None = None  # initial per-layer budget; None = the official one (depth 12)
    update_warm: int = 500  # training steps before Dynamic Selection starts (official class default)
    dsm: bool = True  # Dynamic Selection on/off
    dsm_momentum: float = 1e-3  # weight of the newest layer shares in the select-rate update (official 1e-3)
    loss_alpha: float = 0.4  # loss = (1 - α)·CE(logits) + α·CE(CLR logits)
    label_smoothing: float = 0.0
    clr_from_backbone: bool = False  # official 'dog' quirk: CLR and key blocks start from the last ViT block

    def __post_init__(self) -> None:
        if self.select_init is None:
            if self.depth != len(OFFICIAL_SELECT_INIT) + 1:
                raise ValueError(
                    f"select_init: give one initial budget per voting layer ({self.depth - 1} values for "
                    f"depth {self.depth}); the official budget only fits depth 12"
                )
            object.__setattr__(self, "select_init", OFFICIAL_SELECT_INIT)
        else:
            object.__setattr__(self, "select_init", tuple(int(n) for n in self.select_init))
        self._validate()

    @property
    def grid_size(self) -> int:
        return self.img_size // self.patch_size

    @property
    def num_patches(self) -> int:
        return self.grid_size**2

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_heads

    def _validate(self) -> None:
        for name in (
            "img_size",
            "patch_size",
            "in_chans",
            "hidden_size",
            "num_heads",
            "mlp_dim",
            "num_classes",
        ):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name}: must be a positive integer, got {getattr(self, name)!r}")
        if self.depth < 2:
            raise ValueError(f"depth: at least 2 blocks (one voting layer + the last), got {self.depth}")
        if self.img_size % self.patch_size:
            raise ValueError(f"img_size: {self.img_size} is not a multiple of patch_size {self.patch_size}")
        if self.hidden_size % self.num_heads:
            raise ValueError(
                f"num_heads: hidden_size {self.hidden_size} is not divisible by {self.num_heads}"
            )
        select = self.select_init
        assert select is not None
        if len(select) != self.depth - 1:
            raise ValueError(f"select_init: needs {self.depth - 1} values (depth - 1), got {len(select)}")
        if any(n < 0 or n > self.num_patches for n in select) or sum(select) == 0:
            raise ValueError(
                f"select_init: each value must be in 0..{self.num_patches} and not all 0: {select}"
            )
        if self.total_num < 1:
            raise ValueError(f"total_num: must be positive, got {self.total_num}")
        if not 1 <= self.vote_perhead <= min(self.num_patches, sum(select)):
            raise ValueError(
                f"vote_perhead: must be in 1..{min(self.num_patches, sum(select))} (patches per image and "
                f"tokens reaching the CLR vote), got {self.vote_perhead}"
            )
        if not 1 <= self.key_tokens <= sum(select):
            raise ValueError(
                f"key_tokens: must be in 1..{sum(select)} (sum of select_init), got {self.key_tokens}"
            )
        if self.update_warm < 0:
            raise ValueError(f"update_warm: must be >= 0, got {self.update_warm}")
        for name in ("dropout", "attn_dropout", "label_smoothing"):
            if not 0.0 <= getattr(self, name) < 1.0:
                raise ValueError(f"{name}: must be in [0, 1), got {getattr(self, name)}")
        for name in ("loss_alpha", "dsm_momentum"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name}: must be in [0, 1], got {getattr(self, name)}")


PRESETS: dict[str, IELTConfig] = {
    "vit_b16_448": IELTConfig(),
    # A few-kilobyte model for tests and CPU benchmarks: 4x4 patch grid, 3 voting layers.
    "tiny": IELTConfig(
        img_size=32,
        patch_size=8,
        hidden_size=32,
        depth=4,
        num_heads=4,
        mlp_dim=64,
        num_classes=10,
        vote_perhead=4,
        key_tokens=4,
        total_num=8,
        select_init=(3, 2, 3),
    ),
}


def make_config(config: str | Mapping[str, Any] | IELTConfig | None = None, **overrides: Any) -> IELTConfig:
    """A config from a preset name, a mapping of fields, an IELTConfig or nothing (ViT-B/16 @ 448), plus overrides.

    A mapping may name a base preset under ``preset``.
    """
    if config is None:
        base, fields = PRESETS["vit_b16_448"], {}
    elif isinstance(config, IELTConfig):
        base, fields = config, {}
    elif isinstance(config, str):
        if config not in PRESETS:
            raise ValueError(f"preset: unknown IELT preset {config!r}; choose one of {sorted(PRESETS)}")
        base, fields = PRESETS[config], {}
    elif isinstance(config, Mapping):
        fields = dict(config)
        preset = fields.pop("preset", "vit_b16_448")
        base = make_config(preset)
    else:
        raise TypeError(
            f"IELT config must be a preset name, a mapping or an IELTConfig, not {type(config).__name__}"
        )
    fields.update(overrides)
    known = {f.name for f in dataclasses.fields(IELTConfig)}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ValueError(f"unknown IELT config key(s) {unknown}; known keys: {sorted(known)}")
    if "select_init" in fields and fields["select_init"] is not None:
        fields["select_init"] = tuple(fields["select_init"])
    elif "depth" in fields and fields["depth"] != base.depth and "select_init" not in fields:
        fields["select_init"] = None  # the base budget no longer fits: ask for a new one (or the official)
    return dataclasses.replace(base, **fields)
