"""One way to build a section's settings from what a caller has: the section's dataclass checks itself in its
``__post_init__``, so a value is checked wherever the object comes from (``OmegaConf.to_object`` of the run's
configuration, a mapping from a notebook, keyword arguments)."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def section_settings(cls: type[T], section: str, source: Any = None, **overrides: Any) -> T:
    """A checked ``cls`` from None (the defaults), a ``cls``, a mapping or DictConfig of the ``section`` keys, or
    a whole run configuration (its ``section``); keyword arguments override single keys."""
    from omegaconf import OmegaConf

    if source is not None and not isinstance(source, cls):
        if not isinstance(source, Mapping) and hasattr(source, section):
            source = getattr(source, section)
        elif isinstance(source, Mapping) and section in source and "stage" in source:
            source = source[section]
    if OmegaConf.is_config(source) and OmegaConf.get_type(source) is cls:
        source = OmegaConf.to_object(source)  # the structured section is already this class: no dict round trip
    if isinstance(source, cls):
        return dataclasses.replace(source, **_typed(cls, section, overrides)) if overrides else source
    if source is None:
        values: dict[str, Any] = {}
    elif OmegaConf.is_config(source):
        values = OmegaConf.to_container(source, resolve=True)  # a plain DictConfig (no schema) of the keys
    elif isinstance(source, Mapping):
        values = dict(source)
    else:
        raise TypeError(f"{section} settings must be a {cls.__name__}, a mapping or a DictConfig, not {type(source)}")
    return cls(**_typed(cls, section, {**values, **overrides}))


def _typed(cls: type, section: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` checked for unknown keys and switches that are not true or false, with mappings for nested
    sections (``ocr.trocr``) built as theirs."""
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(
            f"unknown {section} setting(s) {', '.join(unknown)} (choices: {', '.join(sorted(known))})"
        )
    hints = typing.get_type_hints(cls)
    out = dict(values)
    for name, value in values.items():
        kind = hints.get(name)
        if isinstance(value, Mapping) and dataclasses.is_dataclass(kind):
            out[name] = section_settings(kind, f"{section}.{name}", value)
        elif kind is bool and not isinstance(value, bool):  # "no" or 0 would read as a truth value
            raise ValueError(f"wrong value for '{section}.{name}': {value!r} (true or false)")
    return out


def wrong(key: str, value: Any, why: str) -> ValueError:
    """The one-line error a section's ``__post_init__`` raises: ``wrong value for 'train.lr': 0 (why)``."""
    return ValueError(f"wrong value for '{key}': {value!r} ({why})")


def check_choice(key: str, value: Any, choices: Any) -> None:
    if value not in choices:
        raise wrong(key, value, f"choices: {', '.join(choices)}")


def check_at_least(section: Any, prefix: str, keys: tuple[str, ...], low: float) -> None:
    """Each of ``keys`` of ``section`` at least ``low`` (1: a count; 0: a size, a rate or an optional count)."""
    for key in keys:
        value = getattr(section, key)
        if value < low:
            why = "must be at least 1" if low == 1 else f"must be >= {low:g}"
            raise wrong(f"{prefix}{key}", value, why)


def check_between(key: str, value: float, low: float, high: float, *, high_open: bool = False) -> None:
    if not (low <= value < high if high_open else low <= value <= high):
        raise wrong(key, value, f"must be in [{low:g}, {high:g}{')' if high_open else ']'}")
