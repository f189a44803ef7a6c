"""IELT (Xu et al., IEEE TMM 2023): ViT-B/16 + Multi-Head Voting + Cross-Layer Refinement + Dynamic Selection.

Data flow (B images, P = grid² patches, L = depth - 1 voting layers, k_t = budget of layer t):

    patches + CLS + position ─► block_0 ─► … ─► block_{L-1}      every block: each head votes for its
                                  │               │              ``vote_perhead`` top CLS-attention patches;
                                  ▼               ▼              counts smoothed 3x3; layer keeps top k_t
    CLR sequence = [CLS of block_{L-1}, k_0 tokens of layer 0, …, k_{L-1} tokens of layer L-1]
        ─► clr_block ─► clr_norm ─► vote (no smoothing) ─► ``key_tokens`` positions
    key sequence = [CLS of block_{L-1}, those CLR tokens] ─► key_block ─► key_norm
    logits = head(key CLS) + softmax(head(CLR CLS)) · head.weight.sum(-1)

Training contract (see docs/ielt.md): ``model.train(); loss, out = model.loss(x, y)`` runs the forward pass,
the official loss and one DSM step. A trainer that calls the module itself (DDP, torch.compile) does
``out = model(x)`` (an :class:`IELTOutput` in train mode), ``loss = model.criterion(out, y)`` and
``model.dsm_step(out.final_idx)``. ``model.state_dict()`` holds the DSM state (``selection.*`` buffers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from herbproc.models.ielt.config import IELTConfig, make_config
from herbproc.models.ielt.layers import Block
from herbproc.models.ielt.voting import (
    DynamicSelection,
    gather_tokens,
    rank_tokens,
    smooth_counts,
    vote_counts,
)


class IELTOutput(NamedTuple):
    logits: Tensor  # (B, classes) head(key CLS) + assist logits: what the official model returns at test time
    clr_logits: Tensor  # (B, classes) head(CLR CLS): the "complement" logits of the auxiliary loss
    key_features: Tensor  # (B, C) key CLS after key_norm (hook for extra heads, e.g. family/genus)
    clr_features: Tensor  # (B, C) CLR CLS after clr_norm
    final_idx: Tensor  # (B, key_tokens) int64, 1-based positions in the CLR sequence kept for the key block
    layer_idx: (
        Tensor  # (B, sum k_t) int64, 1-based token indices picked by each voting layer, layer after layer
    )


class IELT(nn.Module):
    def __init__(self, config: IELTConfig) -> None:
        super().__init__()
        self.config = c = config
        dim = c.hidden_size
        self.patch_embed = nn.Conv2d(c.in_chans, dim, kernel_size=c.patch_size, stride=c.patch_size)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, c.num_patches + 1, dim))
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        self.pos_drop = nn.Dropout(c.dropout)

        def block() -> Block:
            return Block(dim, c.num_heads, c.mlp_dim, c.dropout, c.attn_dropout)

        self.blocks = nn.ModuleList(block() for _ in range(c.depth - 1))
        self.clr_block = block()
        self.clr_norm = nn.LayerNorm(dim, eps=1e-6)
        self.key_block = block()
        self.key_norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, c.num_classes)
        assert c.select_init is not None
        self.selection = DynamicSelection(
            c.select_init,
            c.total_num,
            c.update_warm,
            c.dsm_momentum,
            c.dsm,
            c.num_patches,
            min_total=max(c.vote_perhead, c.key_tokens),
        )

        # Check the DSM budgets of an incoming state dict before any weight is overwritten.
        self.register_load_state_dict_pre_hook(_check_budgets_first)

    @classmethod
    def from_config(
        cls, config: str | Mapping[str, Any] | IELTConfig | None = None, **overrides: Any
    ) -> IELT:
        """``IELT.from_config("vit_b16_448", num_classes=500)``, ``IELT.from_config("tiny")``,
        ``IELT.from_config({"preset": "tiny", "depth": 5, "select_init": [2, 2, 2, 2]})``."""
        return cls(make_config(config, **overrides))

    @property
    def select_counts(self) -> tuple[int, ...]:
        """Tokens each voting layer currently keeps (rounded select_rate · total_num)."""
        return self.selection.counts

    def forward_features(self, x: Tensor) -> IELTOutput:
        c = self.config
        if x.ndim != 4 or x.shape[1] != c.in_chans:
            raise ValueError(
                f"IELT expects (B, {c.in_chans} channels, H, W) images, got shape {tuple(x.shape)}"
            )
        if x.shape[-2:] != (c.img_size, c.img_size):
            raise ValueError(
                f"IELT is configured for {c.img_size}x{c.img_size} images, got {tuple(x.shape[-2:])}"
            )
        b = x.shape[0]
        tokens = self.patch_embed(x).flatten(2).transpose(1, 2)
        h = torch.cat([self.cls_token.expand(b, -1, -1), tokens], dim=1) + self.pos_embed
        h = self.pos_drop(h)

        picked: list[Tensor] = []
        picked_idx: list[Tensor] = []
        for block, keep in zip(self.blocks, self.selection.counts, strict=True):
            h, scores = block(h)
            assert scores is not None
            counts = smooth_counts(vote_counts(scores, c.vote_perhead), c.grid_size)
            idx = rank_tokens(counts, keep) + 1  # +1: token 0 is CLS
            picked.append(gather_tokens(h, idx))
            picked_idx.append(idx)
        cls = h[:, :1]

        clr, scores = self.clr_block(torch.cat([cls, *picked], dim=1))
        clr = self.clr_norm(clr)
        assert scores is not None
        final_idx = rank_tokens(vote_counts(scores, c.vote_perhead), c.key_tokens) + 1

        key, _ = self.key_block(torch.cat([cls, gather_tokens(clr, final_idx)], dim=1), need_cls_scores=False)
        key_cls = self.key_norm(key[:, 0])  # LayerNorm is per token: only the CLS output is used
        clr_cls = clr[:, 0]

        clr_logits = self.head(clr_cls)
        assist = F.softmax(clr_logits, dim=-1) * self.head.weight.sum(-1)
        logits = self.head(key_cls) + assist
        return IELTOutput(logits, clr_logits, key_cls, clr_cls, final_idx, torch.cat(picked_idx, dim=1))

    def forward(self, x: Tensor) -> Tensor | IELTOutput:
        """Eval mode: the logits (the official test-mode output). Train mode: the full :class:`IELTOutput`."""
        out = self.forward_features(x)
        return out if self.training else out.logits

    def criterion(self, out: IELTOutput, target: Tensor) -> Tensor:
        """The official loss: (1 - α)·CE(logits) + α·CE(clr_logits), with optional label smoothing."""
        c = self.config
        ce_key = F.cross_entropy(out.logits.float(), target, label_smoothing=c.label_smoothing)
        ce_clr = F.cross_entropy(out.clr_logits.float(), target, label_smoothing=c.label_smoothing)
        return (1 - c.loss_alpha) * ce_key + c.loss_alpha * ce_clr

    def dsm_step(self, final_idx: Tensor, sync_ranks: bool = True) -> bool:
        """Count one training step and, after ``update_warm`` steps, update the layer budgets (official DSM)."""
        return self.selection.step(final_idx, sync_ranks=sync_ranks)

    def compile_blocks(self, **compile_kwargs: Any) -> IELT:
        """Regional compilation: ``torch.compile`` each transformer block in place, keep the voting glue eager.

        Whole-model ``torch.compile`` specialises on the per-layer budgets (Python ints) and recompiles whenever
        DSM changes their rounding; compiled blocks only see the CLR length change (one dynamic recompile).
        """
        for block in [*self.blocks, self.clr_block, self.key_block]:
            block.compile(**compile_kwargs)
        return self

    def loss(self, x: Tensor, target: Tensor) -> tuple[Tensor, IELTOutput]:
        """Forward + official loss (+ one DSM step when in train mode): what ``model(x, labels)`` does upstream."""
        out = self.forward_features(x)
        loss = self.criterion(out, target)
        if self.training:
            self.dsm_step(out.final_idx)
        return loss, out


def _check_budgets_first(module: IELT, state_dict, prefix: str, *_args) -> None:
    key = prefix + "selection.select_rate"
    if key in state_dict:
        module.selection.budgets(state_dict[key])
