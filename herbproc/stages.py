"""The stages a run can have, found through one registry.

Each stage module (named by ``module:`` in ``configs/stage/<name>.yaml``) exports one ``Stage`` as ``STAGE``:
its name, ``run_shard`` and the optional hooks the launcher, the shard runner, the configuration checks and the
report call. ``load_stage(cfg)`` imports the module the configuration names and returns that object; nothing
else imports a stage by name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from herbproc.shard import Shard, ShardResult


@dataclass(frozen=True)
class Stage:
    """One stage. Every section checks its own values when the configuration is composed; ``validate_settings``
    checks what this stage alone needs of them (before its inputs exist: a pipeline checks every stage first);
    ``validate`` its inputs, files and engines; ``finalize`` runs once after the last shard; ``verify_items``
    returns the ids among finished ones whose outputs are missing; ``report_section`` gives the report's HTML."""

    name: str
    run_shard: Callable[[Any, Shard], ShardResult]
    finalize: Callable[[Any], Any] | None = None
    validate: Callable[[Any], None] | None = None
    validate_settings: Callable[[Any], None] | None = None
    verify_items: Callable[[Any, list[str]], Iterable[str]] | None = None
    report_section: Callable[[Any, Path], str] | None = None

    @property
    def settings(self) -> type | None:
        """The dataclass of the stage's own configuration section (``herbproc/schema/<name>.py``), if it has one."""
        from herbproc.config import sections

        return sections().get(self.name)


def stage_names() -> list[str]:
    from herbproc.config import group_options

    return [s for s in group_options("stage") if s != "pipeline"]


def load_stage(cfg: Any) -> Stage:
    """The ``Stage`` of the configured stage (``cfg.stage.module``)."""
    module = importlib.import_module(cfg.stage.module)
    stage = getattr(module, "STAGE", None)
    if not isinstance(stage, Stage):
        raise TypeError(f"{cfg.stage.module} exports no Stage as STAGE (herbproc.stages)")
    return stage
