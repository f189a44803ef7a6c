"""Optimizer and per-step learning-rate schedule of the trainer (official IELT: SGD nesterov + cosine)."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from herbproc.schema.loop import OPTIMIZERS


def scaled_lr(lr: float, lr_batch: int, global_batch: int) -> float:
    """The official linear scaling: ``lr`` is meant for ``lr_batch`` images per step (0: no scaling)."""
    return lr * global_batch / lr_batch if lr_batch > 0 else lr


def make_optimizer(params, settings: Any, lr: float, device: torch.device) -> torch.optim.Optimizer:
    name = settings.optimizer
    if name == "sgd":
        return torch.optim.SGD(
            params,
            lr=lr,
            momentum=settings.momentum,
            nesterov=settings.nesterov and settings.momentum > 0,
            weight_decay=settings.weight_decay,
        )
    if name == "adamw":
        return torch.optim.AdamW(
            params,
            lr=lr,
            betas=tuple(settings.betas),
            weight_decay=settings.weight_decay,
            fused=device.type == "cuda",
        )
    raise ValueError(f"optimizer '{name}' unknown (choices: {', '.join(OPTIMIZERS)})")


class CosineSchedule:
    """Linear warm-up from ``warmup_scale * base_lr`` over ``warmup_steps``, then cosine to ``min_lr`` at
    ``total_steps``. The learning rate is a function of the step alone; ``state_dict`` keeps the step."""

    def __init__(
        self,
        optimizer: torch.optim.Optimizer,
        base_lr: float,
        total_steps: int,
        warmup_steps: int = 0,
        min_lr: float = 0.0,
        warmup_scale: float = 1e-3,
    ) -> None:
        if total_steps < 1:
            raise ValueError(f"total_steps must be at least 1, got {total_steps}")
        self.optimizer = optimizer
        self.base_lr, self.min_lr = float(base_lr), float(min_lr)
        self.total_steps, self.warmup_steps = int(total_steps), max(0, min(int(warmup_steps), total_steps))
        self.warmup_scale = float(warmup_scale)
        self.step_count = 0
        self._apply()

    def lr_at(self, step: int) -> float:
        if step < self.warmup_steps:
            start = self.base_lr * self.warmup_scale
            return start + (self.base_lr - start) * step / self.warmup_steps
        span = max(1, self.total_steps - self.warmup_steps)
        progress = min(1.0, (step - self.warmup_steps) / span)
        return self.min_lr + (self.base_lr - self.min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))

    @property
    def lr(self) -> float:
        return self.lr_at(self.step_count)

    def _apply(self) -> None:
        lr = self.lr
        for group in self.optimizer.param_groups:
            group["lr"] = lr

    def step(self) -> None:
        self.step_count += 1
        self._apply()

    def set_step(self, step: int) -> None:
        self.step_count = int(step)
        self._apply()

    def state_dict(self) -> dict[str, Any]:
        return {
            "step_count": self.step_count,
            "base_lr": self.base_lr,
            "min_lr": self.min_lr,
            "total_steps": self.total_steps,
            "warmup_steps": self.warmup_steps,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.set_step(int(state["step_count"]))


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
