"""Multi-Head Voting (MHV) and Dynamic Selection (DSM), vectorised over the batch.

Votes are counted in float32 whatever the model's precision: counts are small integers, so every step below
(the count, the 3x3 smoothing, the ranking) is exact and does not depend on the device or dtype.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.distributed as dist
from torch import Tensor, nn


def vote_counts(cls_scores: Tensor, vote_perhead: int) -> Tensor:
    """Votes per patch: every head votes for its ``vote_perhead`` highest-scoring patches.

    ``cls_scores``: (B, H, N) scores of the CLS query, token 0 being CLS itself (it gets no vote).
    Returns (B, N - 1) float32 counts, one per patch.
    """
    patch_scores = cls_scores[..., 1:]
    top = patch_scores.topk(vote_perhead, dim=-1).indices  # (B, H, v), distinct within a head
    ballots = torch.zeros(patch_scores.shape, dtype=torch.float32, device=patch_scores.device)
    # scatter_ (not scatter_add_): no index repeats within a head, so this is deterministic on every device.
    return ballots.scatter_(-1, top, 1.0).sum(1)


def smooth_counts(counts: Tensor, grid_size: int) -> Tensor:
    """The official fixed 3x3 kernel [[1,2,1],[2,4,2],[1,2,1]] with zero padding, as two separable passes."""
    b = counts.shape[0]
    grid = nn.functional.pad(counts.reshape(b, grid_size, grid_size), (1, 1, 1, 1))
    rows = grid[:, :, :-2] + 2 * grid[:, :, 1:-1] + grid[:, :, 2:]
    return (rows[:, :-2] + 2 * rows[:, 1:-1] + rows[:, 2:]).reshape(b, -1)


def rank_tokens(counts: Tensor, k: int) -> Tensor:
    """Indices (B, k) of the ``k`` largest counts, ties broken by the lower index (a stable descending sort).

    The counts are integers, so ``count * n + (n - 1 - index)`` is a unique int64 key with the same order.
    """
    n = counts.shape[1]
    tie_break = torch.arange(n - 1, -1, -1, device=counts.device)
    return (counts.long() * n + tie_break).topk(k, dim=1).indices


def gather_tokens(tokens: Tensor, index: Tensor) -> Tensor:
    """tokens (B, N, C), index (B, k) -> (B, k, C)."""
    return torch.gather(tokens, 1, index.unsqueeze(-1).expand(-1, -1, tokens.shape[-1]))


class DynamicSelection(nn.Module):
    """The per-layer token budget and its DSM update; its state lives in two buffers, so it is checkpointed.

    ``select_rate`` (float32, one share per voting layer) and ``steps`` (training steps seen). The integer
    budgets the forward pass needs are kept as a Python tuple (``counts``) so that forward never synchronises
    with the device; it is refreshed after each update and after ``load_state_dict``.
    """

    def __init__(
        self,
        select_init: Sequence[int],
        total_num: int,
        update_warm: int,
        momentum: float,
        enabled: bool,
        num_patches: int,
        min_total: int,
    ) -> None:
        super().__init__()
        self.total_num = total_num
        self.update_warm = update_warm
        self.momentum = momentum
        self.enabled = enabled
        self.num_patches = num_patches
        self.min_total = min_total
        self.register_buffer("select_rate", torch.tensor(list(select_init), dtype=torch.float32) / total_num)
        self.register_buffer("steps", torch.zeros((), dtype=torch.int64))
        self.counts: tuple[int, ...] = ()
        self._steps = 0
        self.refresh()
        self.register_load_state_dict_pre_hook(_check_incoming_rate)
        self.register_load_state_dict_post_hook(_refresh_after_load)

    def select_num(self) -> Tensor:
        """The unrounded budgets select_rate · total_num (the official ``select_num``)."""
        return self.select_rate * self.total_num

    def budgets(self, select_rate: Tensor) -> tuple[int, ...]:
        """The integer budgets round(select_rate · total_num), checked to fit the model."""
        if select_rate.shape != self.select_rate.shape:
            raise ValueError(
                f"select_rate: shape {tuple(select_rate.shape)}, expected {tuple(self.select_rate.shape)}"
            )
        counts = tuple(int(n) for n in torch.round(select_rate.float() * self.total_num).int().tolist())
        if any(n < 0 or n > self.num_patches for n in counts) or sum(counts) < self.min_total:
            raise ValueError(
                f"select_rate: budgets {counts} (select_rate x total_num, rounded) do not fit: each must be in "
                f"0..{self.num_patches} patches and their sum >= {self.min_total} (vote_perhead, key_tokens)"
            )
        return counts

    def refresh(self) -> None:
        """Recompute the Python-side copies of the buffers (one device sync)."""
        self.counts = self.budgets(self.select_rate)
        self._steps = int(self.steps)

    def layer_shares(self, final_idx: Tensor) -> Tensor:
        """Key tokens that came from each voting layer, summed over the batch (the official ``count_patch``).

        ``final_idx`` are 1-based positions in the CLR sequence. As in the official code, the layer boundaries
        are the cumulative *unrounded* budgets, not the rounded ones that laid out the sequence.
        """
        bounds = torch.cumsum(self.select_num(), dim=-1)
        positions = (final_idx.detach() - 1).reshape(-1)
        below = (positions.unsqueeze(0) < bounds.unsqueeze(1)).sum(1).float()
        return (below - torch.cat([below.new_zeros(1), below[:-1]])).int()

    @torch.no_grad()
    def step(self, final_idx: Tensor, sync_ranks: bool = True) -> bool:
        """One training step: count it and, once warm, move the budgets toward the layers' shares.

        Returns whether the budgets were updated. With ``sync_ranks`` and an initialised process group the
        layer shares are summed over all ranks first, so every rank keeps the same budgets (the official code
        lets each rank drift on its own).
        """
        self._steps += 1
        self.steps.fill_(self._steps)
        if not self.enabled or self._steps < self.update_warm:
            return False
        shares = self.layer_shares(final_idx)
        if sync_ranks and dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
            dist.all_reduce(shares, op=dist.ReduceOp.SUM)
        new_rate = shares / shares.sum()
        rate = self.select_rate * (1 - self.momentum) + self.momentum * new_rate
        self.select_rate.copy_(rate / rate.sum())
        self.refresh()
        return True

    def _apply(self, fn, recurse: bool = True):  # type: ignore[override]
        # Follow the model's device but never its dtype: updates of 1e-3 vanish in half precision.
        rate = self.select_rate
        super()._apply(fn, recurse)
        self.select_rate = rate.to(device=self.select_rate.device, dtype=torch.float32)
        return self


def _check_incoming_rate(module: DynamicSelection, state_dict, prefix: str, *_args) -> None:
    """Refuse budgets that do not fit before anything of this module is overwritten."""
    if prefix + "select_rate" in state_dict:
        module.budgets(state_dict[prefix + "select_rate"])


def _refresh_after_load(module: DynamicSelection, _incompatible_keys) -> None:
    module.refresh()
