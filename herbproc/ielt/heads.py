"""IELT with optional family / genus heads (the hierarchical loss of the Herbarium 2022 winner).

Each extra level is a linear head on the key CLS feature (``IELTOutput.key_features``); its cross-entropy,
weighted by ``level_weight``, is added to IELT's own loss. Evaluation also scores every level by mapping the
species prediction up the taxonomy (classes.csv), which needs no head.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from herbproc.ielt.model import IELT, IELTOutput


class TrainOutput(NamedTuple):
    ielt: IELTOutput
    levels: dict[str, Tensor]  # level -> (B, classes of that level) logits


class Classifier(nn.Module):
    """``model(x)``: species logits in eval mode; in train mode a :class:`TrainOutput`."""

    def __init__(self, ielt: IELT, level_sizes: Mapping[str, int] | None = None, level_weight: float = 0.3):
        super().__init__()
        self.ielt = ielt
        dim = ielt.config.hidden_size
        self.heads = nn.ModuleDict({name: nn.Linear(dim, n) for name, n in (level_sizes or {}).items()})
        for head in self.heads.values():
            nn.init.zeros_(head.weight)
            nn.init.zeros_(head.bias)
        self.level_weight = float(level_weight)

    @property
    def levels(self) -> list[str]:
        return list(self.heads)

    def forward(self, x: Tensor) -> Tensor | TrainOutput:
        if not self.training and not self.heads:
            return self.ielt(x)
        out = self.ielt.forward_features(x)
        if not self.training:
            return out.logits
        return TrainOutput(out, {name: head(out.key_features) for name, head in self.heads.items()})

    def forward_all(self, x: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        """Species logits and every head's logits (evaluation of the heads)."""
        out = self.ielt.forward_features(x)
        return out.logits, {name: head(out.key_features) for name, head in self.heads.items()}

    def criterion(self, out: TrainOutput, target: Tensor, level_targets: Mapping[str, Tensor]) -> Tensor:
        loss = self.ielt.criterion(out.ielt, target)
        for name, logits in out.levels.items():
            loss = loss + self.level_weight * F.cross_entropy(logits.float(), level_targets[name])
        return loss

    def level_sizes(self) -> dict[str, int]:
        return {name: head.out_features for name, head in self.heads.items()}


def build_classifier(
    model_config: Mapping[str, Any] | str,
    num_classes: int,
    levels: Sequence[str] = (),
    level_sizes: Mapping[str, int] | None = None,
    level_weight: float = 0.3,
    **overrides: Any,
) -> Classifier:
    ielt = IELT.from_config(model_config, num_classes=num_classes, **overrides)
    sizes = {name: int((level_sizes or {})[name]) for name in levels}
    return Classifier(ielt, sizes, level_weight)


def level_targets(target: Tensor, lookups: Mapping[str, Tensor]) -> dict[str, Tensor]:
    return {name: table[target] for name, table in lookups.items()}


@torch.no_grad()
def topk_hits(logits: Tensor, target: Tensor, k: int) -> tuple[int, int]:
    """(top-1 hits, top-k hits) in the batch."""
    k = min(k, logits.shape[-1])
    top = logits.topk(k, dim=-1).indices
    hit = top == target.unsqueeze(-1)
    return int(hit[:, 0].sum()), int(hit.any(-1).sum())
