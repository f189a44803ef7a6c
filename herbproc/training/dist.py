"""The process group of a training job: who am I (rank), how many are we, which device, which backend.

The scheduler edge (``hpc.task``) or ``torchrun`` exports ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``,
``MASTER_ADDR`` and ``MASTER_PORT``; without them the job is one process and no process group is made.
"""

from __future__ import annotations

import datetime
import logging
import os
from dataclasses import dataclass
from typing import Any

import torch
import torch.distributed as dist

from herbproc.schema.loop import BACKENDS, DEVICES

log = logging.getLogger("herbproc.train")


@dataclass(frozen=True)
class DistContext:
    rank: int
    world: int
    local_rank: int
    device: torch.device
    backend: str | None  # None: a single process without a process group

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.backend is not None


def cpu_threads(asked: int, stage_cpus: int) -> int:
    """``asked`` (``train.threads``), else the stage's CPUs, never more than this process may run on. More
    threads than free cores make every step wait on the slowest thread (measured here: 10x slower epochs on a
    busy 2-core machine with 2 threads instead of 1)."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        available = os.cpu_count() or 1
    return max(1, int(asked) if asked else min(int(stage_cpus), available))


def env_ranks() -> tuple[int, int, int]:
    """(rank, world size, local rank) from the environment (torchrun / hpc.task), else (0, 1, 0)."""
    try:
        rank = int(os.environ.get("RANK", 0))
        world = int(os.environ.get("WORLD_SIZE", 1))
        local = int(os.environ.get("LOCAL_RANK", rank))
    except ValueError as e:
        raise ValueError(f"RANK / WORLD_SIZE / LOCAL_RANK must be integers: {e}") from None
    if world < 1 or not 0 <= rank < world:
        raise ValueError(f"RANK={rank} does not fit WORLD_SIZE={world}")
    return rank, world, local


def pick_device(choice: str, local_rank: int) -> torch.device:
    if choice not in DEVICES:
        raise ValueError(f"device '{choice}' unknown (choices: {', '.join(DEVICES)})")
    if choice == "cpu" or (choice == "auto" and not torch.cuda.is_available()):
        return torch.device("cpu")
    if not torch.cuda.is_available():
        raise RuntimeError("device=cuda was asked for but torch sees no GPU here (CUDA_VISIBLE_DEVICES?)")
    count = torch.cuda.device_count()
    index = local_rank % count
    if local_rank >= count:
        log.warning("local rank %d but only %d GPU(s) visible: sharing cuda:%d", local_rank, count, index)
    torch.cuda.set_device(index)
    return torch.device("cuda", index)


def init(device_choice: str = "auto", backend_choice: str = "auto", timeout_s: float = 1800) -> DistContext:
    """Join the job's process group (when WORLD_SIZE > 1) and pick this rank's device."""
    if backend_choice not in BACKENDS:
        raise ValueError(f"dist_backend '{backend_choice}' unknown (choices: {', '.join(BACKENDS)})")
    rank, world, local = env_ranks()
    device = pick_device(device_choice, local)
    if world == 1:
        return DistContext(0, 1, 0, device, None)
    backend = backend_choice
    if backend == "auto":
        backend = "nccl" if device.type == "cuda" else "gloo"
    if backend == "nccl" and device.type != "cuda":
        raise ValueError("dist_backend=nccl needs GPUs; use gloo on CPU")
    for key in ("MASTER_ADDR", "MASTER_PORT"):
        if key not in os.environ:
            raise RuntimeError(
                f"WORLD_SIZE={world} but {key} is not set (launch through jobs/launch.py or torchrun)"
            )
    if not dist.is_initialized():
        kwargs: dict[str, Any] = {}
        if backend == "nccl":
            kwargs["device_id"] = device
        dist.init_process_group(
            backend,
            rank=rank,
            world_size=world,
            timeout=datetime.timedelta(seconds=timeout_s),
            **kwargs,
        )
    log.info(
        "rank %d/%d (local %d) on %s, backend %s, master %s:%s",
        rank,
        world,
        local,
        device,
        backend,
        os.environ["MASTER_ADDR"],
        os.environ["MASTER_PORT"],
    )
    return DistContext(rank, world, local, device, backend)


def shutdown(ctx: DistContext) -> None:
    if ctx.distributed and dist.is_initialized():
        dist.destroy_process_group()


def all_sum(ctx: DistContext, tensor: torch.Tensor) -> torch.Tensor:
    """The sum of ``tensor`` over all ranks (in place; returned for chaining)."""
    if ctx.distributed:
        dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
    return tensor


def gather_objects(ctx: DistContext, obj: Any) -> list[Any]:
    """Every rank's ``obj``, in rank order, on every rank."""
    if not ctx.distributed:
        return [obj]
    out: list[Any] = [None] * ctx.world
    dist.all_gather_object(out, obj)
    return out


def broadcast_object(ctx: DistContext, obj: Any) -> Any:
    """Rank 0's ``obj`` on every rank."""
    if not ctx.distributed:
        return obj
    box = [obj]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def barrier(ctx: DistContext) -> None:
    if ctx.distributed:
        dist.barrier()
