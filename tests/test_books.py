"""The books a launch keeps (herbproc.books), shared by the launcher and ``python -m herbproc.ielt.run``."""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

from herbproc.books import PlanError, StageState, check_plan, ensure_plan, save_config
from herbproc.config import compose
from herbproc.io import read_json
from herbproc.paths import RunPaths
from herbproc.shard import skip_reason


def noop(run_dir, shards: int):
    return compose(["stage=noop", f"run_dir={run_dir}", f"shards={shards}"])


def test_a_plan_is_recorded_and_may_change_until_a_shard_is_done(tmp_path):
    paths = RunPaths(tmp_path)
    assert ensure_plan(paths, noop(tmp_path, 4)) == 4
    assert read_json(paths.plan("noop"))["shards"] == 4
    assert ensure_plan(paths, noop(tmp_path, 3)) == 3  # nothing done yet: the new count is the plan
    assert read_json(paths.plan("noop"))["shards"] == 3
    paths.marker("noop", 1).parent.mkdir(parents=True, exist_ok=True)
    paths.marker("noop", 1).write_text("{}")
    with pytest.raises(PlanError, match=r"planned with shards=3 and 1 of them are done; relaunch with shards=3"):
        check_plan(paths, noop(tmp_path, 5))
    assert ensure_plan(paths, noop(tmp_path, 3)) == 3


def test_the_resolved_config_is_saved_per_stage(tmp_path):
    path = save_config(RunPaths(tmp_path), noop(tmp_path, 2))
    assert path == RunPaths(tmp_path).config_dir / "noop.yaml"
    assert OmegaConf.load(path).shards == 2


def test_stage_state_reads_a_stages_books(tmp_path):
    paths = RunPaths(tmp_path)
    assert StageState.read(paths, "noop").shards == 0  # never planned
    ensure_plan(paths, noop(tmp_path, 3))
    for i, name in ((0, "marker"), (1, "started"), (2, "failed")):
        getattr(paths, name)("noop", i).parent.mkdir(parents=True, exist_ok=True)
        getattr(paths, name)("noop", i).write_text('{"items": 7, "extra": {"skipped": "nothing to do"}}')
    state = StageState.read(paths, "noop")
    assert (state.shards, state.done, state.not_done, state.items) == (3, [0], [1, 2], 7)
    assert set(state.starts) == {1} and set(state.failed) == {2}
    assert state.skipped == "nothing to do" == skip_reason(paths, "noop") and state.finalized is None
    assert StageState.read(paths, "noop", shards=1).not_done == []
