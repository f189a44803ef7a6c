"""ViT blocks that also return each head's CLS→token attention scores, the input of Multi-Head Voting.

Token mixing uses fused attention (``F.scaled_dot_product_attention``): the full N×N attention matrix is never
materialised. Voting only needs the CLS row of each head, which is recomputed separately as q_cls·kᵀ (B·H·N
products, negligible next to the block). The scores are returned before the softmax: softmax is monotonic, so
the top-k patches of a row are the same, and it saves a pass.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def cls_attention_scores(q: Tensor, k: Tensor, scale: float) -> Tensor:
    """Pre-softmax attention scores of the CLS query over all tokens: (B, H, N, D) x2 -> (B, H, N), float32.

    Computed in float32 outside autocast so that low precision does not create ties in the votes.
    """
    q, k = q.detach(), k.detach()  # votes are indices: no gradient, and nothing kept for backward
    with torch.autocast(device_type=q.device.type, enabled=False):
        scores = torch.matmul(q[:, :, :1].float(), k.float().transpose(-2, -1))
    return scores.squeeze(2) * scale


class Attention(nn.Module):
    def __init__(self, dim: int, num_heads: int, attn_dropout: float = 0.0) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim**-0.5
        self.attn_dropout = attn_dropout
        self.qkv = nn.Linear(dim, 3 * dim)  # rows: query, key, value (the official code keeps three Linears)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(attn_dropout)

    def forward(self, x: Tensor, need_cls_scores: bool = True) -> tuple[Tensor, Tensor | None]:
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4).unbind(0)
        mixed = F.scaled_dot_product_attention(q, k, v, dropout_p=self.attn_dropout if self.training else 0.0)
        out = self.proj_drop(self.proj(mixed.transpose(1, 2).reshape(b, n, c)))
        scores = cls_attention_scores(q, k, self.scale) if need_cls_scores else None
        return out, scores


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()  # exact (erf) GELU, as F.gelu in the official code
        self.fc2 = nn.Linear(hidden, dim)
        self.drop = nn.Dropout(dropout)
        # The official Mlp initialisation (it matters for the CLR and key blocks, which start untrained).
        nn.init.xavier_uniform_(self.fc1.weight)
        nn.init.xavier_uniform_(self.fc2.weight)
        nn.init.normal_(self.fc1.bias, std=1e-6)
        nn.init.normal_(self.fc2.bias, std=1e-6)

    def forward(self, x: Tensor) -> Tensor:
        return self.drop(self.fc2(self.drop(self.act(self.fc1(x)))))


class Block(nn.Module):
    """Pre-norm ViT block (LayerNorm eps 1e-6, as the Google/official ViT)."""

    def __init__(
        self, dim: int, num_heads: int, mlp_dim: int, dropout: float = 0.0, attn_dropout: float = 0.0
    ):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads, attn_dropout)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, mlp_dim, dropout)

    def forward(self, x: Tensor, need_cls_scores: bool = True) -> tuple[Tensor, Tensor | None]:
        mixed, scores = self.attn(self.norm1(x), need_cls_scores)
        x = x + mixed
        x = x + self.mlp(self.norm2(x))
        return x, scores
