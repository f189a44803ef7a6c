"""Run an IELT stage in this process, without a scheduler: under ``torchrun`` for training, or plainly.

    torchrun --standalone --nproc_per_node=4 -m herbproc.ielt.run stage=train run_dir=R [key=value ...]
    torchrun --nnodes=2 --nproc_per_node=4 --rdzv_id=JOB --rdzv_backend=c10d --rdzv_endpoint=HOST:29500 \\
        -m herbproc.ielt.run stage=train run_dir=R
    python -m herbproc.ielt.run stage=evaluate run_dir=R
    python -m herbproc.ielt.run stage=predict run_dir=R shards=1

The configuration is composed exactly as ``jobs/launch.py`` does it; each process runs the stage's shards
through ``herbproc.shard.execute_shard`` (the same lock, marker and resume as a scheduled job), with the rank
torchrun gives it. Exit codes: 0 done, 1 failed, 2 configuration error.
"""

from __future__ import annotations

import logging
import sys

from herbproc import books
from herbproc import config as config_mod
from herbproc import shard as shard_mod
from herbproc.commandline import ExitCode, setup_logging
from herbproc.paths import RunPaths

STAGES = ("train", "evaluate", "predict", "phenology")


def record_launch(cfg) -> None:
    """The run directory's books, as the launcher keeps them: the resolved config and the stage's plan."""
    paths = RunPaths(cfg.run_dir)
    books.ensure_plan(paths, cfg)
    books.save_config(paths, cfg)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return ExitCode.DONE if argv else ExitCode.CONFIG_ERROR
    setup_logging()
    from herbproc.training.dist import env_ranks

    try:
        cfg = config_mod.plain(config_mod.compose(argv))
        if cfg.stage.name not in STAGES:
            raise config_mod.ConfigError(
                f"herbproc.ielt.run runs {', '.join(STAGES)}, not stage={cfg.stage.name}"
            )
        rank = env_ranks()[0]
        if rank == 0:
            record_launch(cfg)
    except (config_mod.ConfigError, ValueError) as e:  # books.PlanError is a ValueError
        print(f"error: {e}", file=sys.stderr)
        return ExitCode.CONFIG_ERROR
    try:
        for index in range(shard_mod.planned_shards(cfg)):
            shard_mod.execute_shard(cfg, index, rank=rank)
    except Exception as e:
        logging.getLogger("herbproc").exception("stage %s failed: %s", cfg.stage.name, e)
        return ExitCode.SHARD_FAILED
    return ExitCode.DONE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
