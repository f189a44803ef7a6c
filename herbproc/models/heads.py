"""IELT with optional family / genus heads (the hierarchical loss of the Herbarium 2022 winner).

Each extra level is a linear head on the key CLS feature (``IELTOutput.key_features``); its cross-entropy,
weighted by ``level_weight``, is added to IELT's own loss. Evaluation also scores every level by mapping the
species prediction up the taxonomy (classes.csv), which needs no head.

Multi-label heads (``multilabel_sizes``, e.g. ``{"phenology": 3}``: flowers, fruits, buds) sit on the same
feature; their loss is a binary cross-entropy over the targets that are known only (``masked_bce``), weighted by
``multilabel_weight``: an unknown target changes neither the loss nor any gradient.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from herbproc.models.ielt.model import IELT, IELTOutput


class TrainOutput(NamedTuple):
    ielt: IELTOutput
    levels: dict[str, Tensor]  # level -> (B, classes of that level) logits
    multilabel: dict[str, Tensor] | None = None  # head -> (B, labels) logits


def masked_bce(logits: Tensor, targets: Tensor, known: Tensor) -> Tensor:
    """Mean binary cross-entropy over the entries where ``known`` is true (0 when none is); the targets of
    unknown entries are never read (they may be NaN)."""
    known = known.bool()
    safe = torch.where(known, targets.float(), torch.zeros((), device=targets.device))
    per = F.binary_cross_entropy_with_logits(logits.float(), safe, reduction="none")
    return (per * known).sum() / known.sum().clamp(min=1)


class Classifier(nn.Module):
    """``model(x)``: species logits in eval mode; in train mode a :class:`TrainOutput`."""

    def __init__(
        self,
        ielt: IELT,
        level_sizes: Mapping[str, int] | None = None,
        level_weight: float = 0.3,
        multilabel_sizes: Mapping[str, int] | None = None,
        multilabel_weight: float = 1.0,
    ):
        super().__init__()
        self.ielt = ielt
        dim = ielt.config.hidden_size
        self.heads = nn.ModuleDict({name: nn.Linear(dim, n) for name, n in (level_sizes or {}).items()})
        for head in self.heads.values():
            nn.init.zeros_(head.weight)
            nn.init.zeros_(head.bias)
        self.level_weight = float(level_weight)
        self.multilabel = nn.ModuleDict(
            {name: nn.Linear(dim, n) for name, n in (multilabel_sizes or {}).items()}
        )
        for head in self.multilabel.values():
            nn.init.zeros_(head.weight)
            nn.init.zeros_(head.bias)
        self.multilabel_weight = float(multilabel_weight)

    @property
    def levels(self) -> list[str]:
        return list(self.heads)

    def forward(self, x: Tensor) -> Tensor | TrainOutput:
        if not self.training and not self.heads and not self.multilabel:
            return self.ielt(x)
        out = self.ielt.forward_features(x)
        if not self.training:
            return out.logits
        levels = {name: head(out.key_features) for name, head in self.heads.items()}
        if not self.multilabel:
            return TrainOutput(out, levels)
        return TrainOutput(
            out, levels, {name: head(out.key_features) for name, head in self.multilabel.items()}
        )

    def forward_all(self, x: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        """Species logits and every head's logits (evaluation of the heads)."""
        out = self.ielt.forward_features(x)
        return out.logits, {name: head(out.key_features) for name, head in self.heads.items()}

    def forward_multilabel(self, x: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        """Species logits and every multi-label head's logits (inference of those heads)."""
        out = self.ielt.forward_features(x)
        return out.logits, {name: head(out.key_features) for name, head in self.multilabel.items()}

    def criterion(
        self,
        out: TrainOutput,
        target: Tensor,
        level_targets: Mapping[str, Tensor],
        multilabel_targets: Mapping[str, tuple[Tensor, Tensor]] | None = None,
    ) -> Tensor:
        """IELT's loss + level_weight x CE per level + multilabel_weight x masked BCE per multi-label head
        (``multilabel_targets``: head -> (targets, known mask))."""
        loss = self.ielt.criterion(out.ielt, target)
        for name, logits in out.levels.items():
            loss = loss + self.level_weight * F.cross_entropy(logits.float(), level_targets[name])
        for name, logits in (out.multilabel or {}).items():
            targets, known = (multilabel_targets or {})[name]
            loss = loss + self.multilabel_weight * masked_bce(logits, targets, known)
        return loss

    def level_sizes(self) -> dict[str, int]:
        return {name: head.out_features for name, head in self.heads.items()}

    def multilabel_sizes(self) -> dict[str, int]:
        return {name: head.out_features for name, head in self.multilabel.items()}


def build_classifier(
    model_config: Mapping[str, Any] | str,
    num_classes: int,
    levels: Sequence[str] = (),
    level_sizes: Mapping[str, int] | None = None,
    level_weight: float = 0.3,
    multilabel_sizes: Mapping[str, int] | None = None,
    multilabel_weight: float = 1.0,
    **overrides: Any,
) -> Classifier:
    ielt = IELT.from_config(model_config, num_classes=num_classes, **overrides)
    sizes = {name: int((level_sizes or {})[name]) for name in levels}
    return Classifier(ielt, sizes, level_weight, multilabel_sizes, multilabel_weight)


def level_targets(target: Tensor, lookups: Mapping[str, Tensor]) -> dict[str, Tensor]:
    return {name: table[target] for name, table in lookups.items()}


@torch.no_grad()
def topk_hits(logits: Tensor, target: Tensor, k: int) -> tuple[int, int]:
    """(top-1 hits, top-k hits) in the batch."""
    k = min(k, logits.shape[-1])
    top = logits.topk(k, dim=-1).indices
    hit = top == target.unsqueeze(-1)
    return int(hit[:, 0].sum()), int(hit.any(-1).sum())
