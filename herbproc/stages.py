"""The stages a run can have: one YAML file each in configs/stage/ naming its module."""

from __future__ import annotations

from herbproc.config import group_options


def stage_names() -> list[str]:
    return [s for s in group_options("stage") if s != "pipeline"]
