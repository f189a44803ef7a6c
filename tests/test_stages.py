"""The stage registry (herbproc.stages): every configured stage is found through it, with its hooks."""

from __future__ import annotations

import pytest
import yaml
from omegaconf import OmegaConf

from herbproc.config import config_dir, sections
from herbproc.stages import Stage, load_stage, stage_names


def stage_configs() -> dict[str, dict]:
    return {
        p.stem: yaml.safe_load(p.read_text())
        for p in (config_dir() / "stage").glob("*.yaml")
        if p.stem != "pipeline"
    }


@pytest.mark.parametrize("name", sorted(stage_configs()))
def test_every_configured_stage_exports_its_stage(name):
    spec = stage_configs()[name]
    stage = load_stage(OmegaConf.create({"stage": spec}))
    assert isinstance(stage, Stage) and stage.name == spec["name"] == name
    assert callable(stage.run_shard)
    hooks = [
        stage.finalize,
        stage.validate,
        stage.validate_settings,
        stage.verify_items,
        stage.report_section,
    ]
    assert all(h is None or callable(h) for h in hooks)
    assert stage.settings is sections().get(name)


def test_the_registry_knows_the_stages_and_their_hooks():
    assert set(stage_names()) == set(stage_configs())
    mask = load_stage(OmegaConf.create({"stage": stage_configs()["mask"]}))
    assert mask.finalize is not None and mask.report_section is not None and mask.verify_items is None
    assert mask.settings.__module__ == "herbproc.schema.mask"


def test_a_module_without_a_stage_is_refused():
    with pytest.raises(TypeError, match="herbproc.paths exports no Stage as STAGE"):
        load_stage(OmegaConf.create({"stage": {"module": "herbproc.paths"}}))
