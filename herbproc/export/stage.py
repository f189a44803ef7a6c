"""The export stage's module: dispatches on ``format`` to the CUB folder or the Darwin Core Archive."""

from __future__ import annotations

import importlib

from herbproc.shard import Shard, ShardResult
from herbproc.stages import Stage

MODULES = {"cub": "herbproc.store.export_cub", "dwca": "herbproc.export.dwca"}
FORMATS = tuple(MODULES)


def _module(cfg):
    if cfg.format not in MODULES:
        raise ValueError(f"wrong value for 'format': '{cfg.format}' (choices: {', '.join(FORMATS)})")
    return importlib.import_module(MODULES[cfg.format])


def validate(cfg) -> None:
    _module(cfg).validate(cfg)


def run_shard(cfg, shard: Shard) -> ShardResult:
    return _module(cfg).run_shard(cfg, shard)


STAGE = Stage("export", run_shard, validate=validate)
