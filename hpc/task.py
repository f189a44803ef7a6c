"""What a scheduler job runs: one shard of one stage, requeued with its state on preemption."""

from __future__ import annotations

import logging
import os

import submitit

from herbproc import shard as shard_mod
from herbproc.commandline import setup_logging


class ShardTask(submitit.helpers.Checkpointable):
    """Callable submitted once per stage; each array task calls it with its shard index.

    On a preemption or time-limit signal submitit calls ``checkpoint``: the stage's preemption hooks run
    (a trainer saves its state) and the same shard is requeued. Work already journaled is not redone.
    """

    def __init__(self, cfg):
        self.cfg = cfg

    def __call__(self, index: int):
        setup_logging()
        cfg = self.cfg
        rank = 0
        if cfg.stage.kind == "distributed":
            rank = _export_distributed_env()
        env = submitit.JobEnvironment()
        logging.getLogger("herbproc").info(
            "job %s task %s: stage %s shard %d/%d on %s",
            env.job_id,
            env.global_rank,
            cfg.stage.name,
            index,
            shard_mod.planned_shards(cfg),
            env.hostname,
        )
        return shard_mod.execute_shard(cfg, index, rank=rank)

    def checkpoint(self, index: int):
        logging.getLogger("herbproc").warning(
            "shard %d: preemption or time limit: checkpointing and requeueing", index
        )
        shard_mod.run_preempt_hooks()
        return submitit.helpers.DelayedSubmission(self, index)


def _export_distributed_env() -> int:
    """Set RANK/WORLD_SIZE/MASTER_ADDR/... for torch.distributed from the scheduler's environment."""
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:  # torchrun already did it
        return int(os.environ["RANK"])
    dist = submitit.helpers.TorchDistributedEnvironment().export(set_cuda_visible_devices=False)
    return dist.rank
