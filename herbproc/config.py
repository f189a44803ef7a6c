"""Compose the run configuration: base + stage + cluster profile + data profile + command-line overrides.

Composition and the override grammar are Hydra's (``key=value``, ``a.b=value``, ``list=[a,b]``); the typed
schema in ``herbproc.schema`` makes OmegaConf reject unknown keys and wrong types. Every problem surfaces as a
``ConfigError`` whose message is one line naming the key and the valid choices.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import importlib
import os
import pkgutil
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

import herbproc.schema
from herbproc.schema.core import TopLevel
from herbproc.shard import skipped_need

GROUPS = ("stage", "cluster", "data")
# free-form mappings: any key may be added under them from the command line
OPEN_DICTS = ("cluster.additional", "per_stage")


class ConfigError(ValueError):
    """A configuration problem, told in one line."""


def config_dir() -> Path:
    env = os.environ.get("HERBPROC_CONFIG_DIR")
    if env:
        return Path(env)
    return Path(herbproc.__file__).resolve().parent.parent / "configs"


def group_options(group: str) -> list[str]:
    return sorted(p.stem for p in (config_dir() / group).glob("*.yaml"))


def sections() -> dict[str, type]:
    """Section name -> Settings dataclass, from every module of ``herbproc.schema`` that declares one."""
    found = {}
    for info in pkgutil.iter_modules(herbproc.schema.__path__):
        mod = importlib.import_module(f"herbproc.schema.{info.name}")
        if hasattr(mod, "SECTION") and hasattr(mod, "Settings"):
            found[mod.SECTION] = mod.Settings
    return dict(sorted(found.items()))


_ROOT: type | None = None


def root_schema() -> type:
    global _ROOT
    if _ROOT is None:
        extra = [(name, cls, dataclasses.field(default_factory=cls)) for name, cls in sections().items()]
        _ROOT = dataclasses.make_dataclass("HerbprocConfig", extra, bases=(TopLevel,))
    return _ROOT


@functools.cache
def _register_schema() -> None:
    """Once per process: Hydra's config store outlives ``GlobalHydra.clear()``."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="herbproc_schema", node=root_schema())


def parse_overrides(overrides: Sequence[str]):
    """Hydra's override objects for ``key=value`` arguments; a bad one is a one-line ConfigError."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import OverrideParseException

    parser = OverridesParser.create()
    parsed = []
    for arg in overrides:
        if "=" not in arg:
            raise ConfigError(f"argument '{arg}' is not key=value (example: stage=mask shards=8)")
        try:
            parsed.extend(parser.parse_overrides([arg]))
        except OverrideParseException as e:
            first = str(e).strip().splitlines()[0]
            raise ConfigError(f"cannot read argument '{arg}': {first}") from None
    return parsed


def _check_group_choices(overrides: Sequence[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for ov in parse_overrides(overrides):
        key = ov.key_or_group
        if key in GROUPS:
            value = ov.value()
            options = group_options(key)
            if not isinstance(value, str) or value not in options:
                raise ConfigError(f"unknown {key} '{value}' (choices: {', '.join(options)})")
            chosen[key] = value
    return chosen


def _check_switches(overrides: Sequence[str]) -> None:
    """A switch (a true/false key) given a number is refused: OmegaConf would read ``wait=3`` as true and
    ``ocr.reread=0`` as false without a word."""
    from omegaconf.nodes import BooleanNode

    schema = OmegaConf.structured(root_schema())
    for ov in parse_overrides(overrides):
        value = ov.value()
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        key = ov.key_or_group
        parent, _, leaf = key.rpartition(".")
        try:
            node = (OmegaConf.select(schema, parent) if parent else schema)._get_node(leaf)
        except Exception:  # not a key of the schema: the composition says so
            continue
        if isinstance(node, BooleanNode):
            raise ConfigError(f"wrong type for '{key}': '{value}' is not a valid bool (true or false)")


def _valid_keys(cfg_node: Any) -> list[str]:
    try:
        return list(cfg_node.keys())
    except Exception:
        return []


def _explain(exc: BaseException, overrides: Sequence[str]) -> str:
    """Turn a Hydra/OmegaConf exception into one line that names the key and what would be valid."""
    chain = []
    e: BaseException | None = exc
    while e is not None:
        chain.append(e)
        e = e.__cause__ or e.__context__
    text = " | ".join(str(c) for c in chain)
    full_key = None
    for c in chain:
        if isinstance(c, OmegaConfBaseException) and getattr(c, "full_key", None):
            full_key = c.full_key
            break
    m = re.search(r"Could not override '([^']+)'", text) or re.search(r"Key '([^']+)' is not in struct", text)
    if m or "not in struct" in text:
        key = full_key or (m.group(1) if m else "?")
        parent, _, leaf = key.rpartition(".")
        schema = OmegaConf.structured(root_schema())
        node = OmegaConf.select(schema, parent) if parent else schema
        valid = _valid_keys(node)
        close = difflib.get_close_matches(leaf, valid, n=3)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        where = f" in '{parent}'" if parent else ""
        return f"unknown key '{key}'{where}: {hint}valid keys: {', '.join(valid)}"
    m = re.search(r"Value '([^']*)' (?:of type '(\w+)' )?could not be converted to (\w+)", text)
    if m:
        key = full_key or _override_key_for_value(overrides, m.group(1))
        return f"wrong type for '{key}': '{m.group(1)}' is not a valid {m.group(3).lower()}"
    m = re.search(r"Value '([^']*)' is not a valid (\w+)", text)
    if m:
        return f"wrong type for '{full_key}': '{m.group(1)}' is not a valid {m.group(2)}"
    m = re.search(r"incompatible with type hint 'Union\[([^']*)\]'", text)
    if m and full_key:  # OmegaConf leaves this message's value unfilled: the override gives it
        given = next((v for k, _, v in (o.partition("=") for o in overrides) if k.lstrip("+~") == full_key), "?")
        return f"wrong type for '{full_key}': '{given}' (expected {m.group(1).replace(', ', ' or ')})"
    m = re.search(r"Invalid value '([^']*)', expected one of \[([^\]]*)\]", text)
    if m:
        return f"wrong value for '{full_key}': '{m.group(1)}' (choices: {m.group(2)})"
    if "Missing mandatory value" in text and full_key:
        return f"missing required value '{full_key}'"
    first = str(chain[-1]).strip().splitlines()[0] if chain else str(exc)
    return f"{first}" + (f" (key '{full_key}')" if full_key else "")


def _override_key_for_value(overrides: Sequence[str], value: str) -> str:
    for ov in overrides:
        k, _, v = ov.partition("=")
        if v == value:
            return k.lstrip("+~")
    return "?"


def _open_dict_override(arg: str) -> str:
    key = arg.split("=", 1)[0]
    if key.startswith(("+", "~")):
        return arg
    if any(key == d or key.startswith(d + ".") for d in OPEN_DICTS):
        return "++" + arg
    return arg


def compose(overrides: Sequence[str], *, stage: str | None = None, check_inputs: bool = True) -> DictConfig:
    """Compose and validate the configuration for ``overrides`` (``stage`` replaces any stage=... given).

    ``check_inputs=False`` skips the stage's own ``validate`` (which may look for input files): a pipeline checks
    every stage's settings before it starts, when the inputs of later stages do not exist yet.
    """
    overrides = list(overrides)
    if stage is not None:
        overrides = [o for o in overrides if not o.startswith("stage=")] + [f"stage={stage}"]
    overrides = [_open_dict_override(o) for o in overrides]
    chosen = _check_group_choices(overrides)
    _check_switches(overrides)
    if "stage" not in chosen:
        raise ConfigError(f"missing required value 'stage' (choices: {', '.join(group_options('stage'))})")
    cfg = _hydra_compose(overrides)
    if extra := _per_stage_overrides(cfg, overrides):
        _check_switches(extra)
        cfg = _hydra_compose(overrides + extra)
    _validate(cfg, check_inputs)
    return cfg


def _hydra_compose(overrides: list[str]) -> DictConfig:
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    _register_schema()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            return hydra_compose(config_name="base", overrides=overrides)
    except ConfigError:
        raise
    except Exception as exc:  # Hydra wraps OmegaConf errors in its own
        raise ConfigError(_explain(exc, overrides)) from None
    finally:
        GlobalHydra.instance().clear()


def _per_stage_overrides(cfg: DictConfig, overrides: Sequence[str]) -> list[str]:
    """``per_stage.<this stage>``'s settings as overrides (``stage.gpus=4``). A profile's give way to the same key
    given on the command line for every stage; the command line's own ``per_stage.<stage>.<key>`` wins over both."""
    stages = [s for s in group_options("stage") if s != "pipeline"]
    for name, settings in cfg.per_stage.items():
        if name not in stages:
            raise ConfigError(f"unknown stage 'per_stage.{name}' (choices: {', '.join(stages)})")
        if not isinstance(settings, DictConfig):
            raise ConfigError(
                f"wrong value for 'per_stage.{name}': give its settings by key (per_stage.{name}.stage.gpus=4)"
            )
    name = cfg.stage.name
    own = cfg.per_stage.get(name)
    if own is None:
        return []
    given = {o.split("=", 1)[0].lstrip("+~") for o in overrides}
    extra = []
    for key, value in _flat(OmegaConf.to_container(own, resolve=False)):
        if key in GROUPS or key.split(".")[0] == "per_stage":
            raise ConfigError(
                f"wrong key 'per_stage.{name}.{key}': '{key}' is chosen for every stage, not one"
            )
        if f"per_stage.{name}.{key}" not in given and key in given:
            continue  # the command line's, for every stage
        extra.append(_open_dict_override(f"{key}={_hydra_value(value)}"))
    return extra


def _flat(node: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted key, value) of each leaf of ``node``; an empty mapping has none."""
    if isinstance(node, dict):
        return [kv for k, v in node.items() for kv in _flat(v, f"{prefix}.{k}" if prefix else str(k))]
    return [(prefix, node)]


def _hydra_value(value: Any) -> str:
    """``value`` in Hydra's override grammar: strings quoted, lists bracketed, None as null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ",".join(_hydra_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{_hydra_value(v)}" for k, v in value.items()) + "}"
    # a backslash is itself except before a quote or at the end, where it is doubled
    text = re.sub(r"\\+(?='|$)", lambda m: m.group() * 2, str(value))
    return "'" + text.replace("'", "\\'") + "'"


def _validate(cfg: DictConfig, check_inputs: bool = True) -> None:
    if OmegaConf.is_missing(cfg, "run_dir"):
        raise ConfigError("missing required value 'run_dir' (give run_dir=<dir>)")
    run_dir = Path(str(cfg.run_dir)).expanduser()
    if run_dir.exists() and not run_dir.is_dir():
        raise ConfigError(f"wrong value for 'run_dir': {run_dir} is a file, not a folder")
    for key in cfg.stage.requires:
        value = OmegaConf.select(cfg, key, default=None, throw_on_missing=False)
        if value is None or value == "???":
            raise ConfigError(f"missing required value '{key}' for stage {cfg.stage.name} (give {key}=...)")
    for key in cfg.cluster.requires:
        if OmegaConf.select(cfg, key, default=None, throw_on_missing=False) in (None, "???"):
            raise ConfigError(
                f"missing required value '{key}' for cluster {cfg.cluster.name} (give {key}=...)"
            )
    try:  # every section checks itself as it is built (its __post_init__): one line naming the key
        OmegaConf.to_object(cfg)
    except ValueError as e:
        raise ConfigError(str(e)) from None
    if cfg.nodes is not None:
        cfg.stage.nodes = cfg.nodes
    if cfg.tasks_per_node is not None:
        cfg.stage.tasks_per_node = cfg.tasks_per_node
    if cfg.stage.kind == "pipeline":
        unknown = [s for s in cfg.pipeline.stages if s not in group_options("stage") or s == "pipeline"]
        if unknown:
            raise ConfigError(
                f"wrong value for 'pipeline.stages': unknown stage {', '.join(unknown)} "
                f"(choices: {', '.join(s for s in group_options('stage') if s != 'pipeline')})"
            )
        return
    from herbproc.stages import load_stage

    stage = load_stage(cfg)
    if stage.validate_settings is not None:  # settings alone, checked even before the stage's inputs exist
        try:
            stage.validate_settings(cfg)
        except ValueError as e:
            raise ConfigError(str(e)) from None
    if check_inputs and skipped_need(cfg) is not None:
        # its inputs will never come: the stage steps aside when it runs (herbproc.shard.run_or_skip)
        check_inputs = False
    if check_inputs and stage.validate is not None:
        try:
            stage.validate(cfg)
        except ConfigError:
            raise
        except (ValueError, FileNotFoundError) as e:
            raise ConfigError(str(e)) from None


def plain(cfg: DictConfig) -> DictConfig:
    """A resolved copy without the schema's classes (picklable anywhere), still refusing unknown keys."""
    out = OmegaConf.create(OmegaConf.to_container(cfg, resolve=True))
    OmegaConf.set_struct(out, True)
    return out


def to_yaml(cfg: DictConfig) -> str:
    return OmegaConf.to_yaml(cfg, resolve=True)


@functools.cache
def _yaml_loader() -> type:
    """OmegaConf's YAML loader (``OmegaConf.load``: its float rule, no timestamps, duplicate keys refused) on
    libyaml's parser when PyYAML has it: the same documents, read some ten times faster."""
    import yaml
    from omegaconf._utils import get_yaml_loader

    pure = get_yaml_loader()
    if not getattr(yaml, "__with_libyaml__", False):
        return pure

    class Loader(yaml.CSafeLoader):
        yaml_implicit_resolvers = {k: list(v) for k, v in pure.yaml_implicit_resolvers.items()}

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            keys = set()
            for key_node, _ in node.value:
                if key_node.tag != yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG:
                    continue
                if key_node.value in keys:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, f"found duplicate key {key_node.value}",
                        key_node.start_mark,
                    )  # fmt: skip
                keys.add(key_node.value)
            return super().construct_mapping(node, deep=deep)

    return Loader


def load_yaml(path: str | Path) -> DictConfig:
    """``OmegaConf.load(path)`` for a mapping (a run's saved configuration), through the faster loader."""
    import yaml

    with open(os.path.abspath(path), encoding="utf-8") as f:
        obj = yaml.load(f, Loader=_yaml_loader())
    if obj is None:
        return OmegaConf.create()
    if not isinstance(obj, dict):
        raise OSError(f"{path}: a YAML mapping was expected, not {type(obj).__name__}")
    return OmegaConf.create(obj)
