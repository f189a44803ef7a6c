"""Which samples each rank trains on, batch by batch, as a pure function of (seed, epoch): resumable mid-epoch.

Like ``DistributedSampler``: one global order per epoch (a seeded permutation, or class-balanced draws with
replacement), padded by repeating its start to a multiple of the world size, rank ``r`` taking positions
``r, r + world, ...``. Every sample also carries its own seed, derived from (seed, epoch, global position),
that drives its augmentation: a resumed run (from any step, with any number of loader workers) sees exactly
the crops, flips and colour jitter of an uninterrupted one.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

SampleKey = tuple[int, int]  # (dataset index, augmentation seed)


def sample_seed(seed: int, epoch: int, position: int) -> int:
    """A 63-bit seed for the augmentation of the sample at ``position`` of ``epoch``'s global order."""
    a, b = np.random.SeedSequence([int(seed) & 0xFFFFFFFF, int(epoch), int(position)]).generate_state(2)
    return (int(a) << 31) ^ int(b)


class TrainSampler:
    def __init__(
        self,
        labels: np.ndarray,
        *,
        batch_size: int,
        rank: int = 0,
        world: int = 1,
        seed: int = 0,
        balanced: bool = False,
    ) -> None:
        labels = np.asarray(labels, dtype=np.int64)
        if len(labels) == 0:
            raise ValueError("the training split is empty: nothing to train on")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if not 0 <= rank < world:
            raise ValueError(f"rank {rank} outside 0..{world - 1}")
        self.labels = labels
        self.batch_size = batch_size
        self.rank, self.world = rank, world
        self.seed = int(seed)
        self.balanced = balanced
        self.per_rank = math.ceil(len(labels) / world)

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.per_rank / self.batch_size)

    def epoch_order(self, epoch: int) -> np.ndarray:
        """The global order of ``epoch`` (dataset indices), padded to ``per_rank * world`` entries."""
        n = len(self.labels)
        rng = np.random.default_rng([self.seed & 0xFFFFFFFF, int(epoch), 0x5A4D])
        if self.balanced:
            counts = np.bincount(self.labels)
            weights = 1.0 / counts[self.labels]
            order = rng.choice(n, size=n, replace=True, p=weights / weights.sum())
        else:
            order = rng.permutation(n)
        total = self.per_rank * self.world
        if total > n:
            order = np.concatenate([order, order[: total - n]])
        return order

    def batches(self, epoch: int, start_step: int = 0) -> EpochBatches:
        if not 0 <= start_step <= self.steps_per_epoch:
            raise ValueError(f"start_step {start_step} outside 0..{self.steps_per_epoch}")
        order = self.epoch_order(epoch)
        positions = np.arange(self.rank, len(order), self.world)
        keys = [(int(order[p]), sample_seed(self.seed, epoch, int(p))) for p in positions]
        chunks = [keys[i : i + self.batch_size] for i in range(0, len(keys), self.batch_size)]
        return EpochBatches(chunks[start_step:])


class EpochBatches:
    """The batches a rank has left in one epoch: a ``batch_sampler`` for ``DataLoader``."""

    def __init__(self, chunks: list[list[SampleKey]]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[list[SampleKey]]:
        return iter(self.chunks)

    def __len__(self) -> int:
        return len(self.chunks)


def eval_shard(n: int, rank: int, world: int) -> np.ndarray:
    """Indices rank ``rank`` evaluates (no padding: every sample counted once over all ranks)."""
    return np.arange(rank, n, world)
