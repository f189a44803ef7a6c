"""The ``ocr`` settings from the config section or plain Python, checked, and the inputs they name."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from herbproc.ocr.engines import ENGINES, MEMBERS
from herbproc.ocr.engines.base import DEVICES, DTYPES
from herbproc.ocr.engines.ppocr import ALPHABETS
from herbproc.schema.mask import TARGETS
from herbproc.schema.ocr import Settings, TrOCRSettings

REGION_KINDS = tuple(kind for kinds in TARGETS.values() for kind in kinds)


def ocr_settings(source: Any = None, **overrides: Any) -> Settings:
    """A checked ``Settings`` from None (defaults), a ``Settings``, a mapping or DictConfig of the ``ocr`` keys, or
    a whole run configuration (its ``ocr`` section); keyword arguments override single keys."""
    if source is None:
        values: dict[str, Any] = {}
    elif isinstance(source, Settings):
        values = dataclasses.asdict(source)
    else:
        if not isinstance(source, Mapping) and hasattr(source, "ocr"):
            source = source.ocr
        elif isinstance(source, Mapping) and "ocr" in source and "stage" in source:
            source = source["ocr"]
        if hasattr(source, "_metadata"):
            from omegaconf import OmegaConf

            source = OmegaConf.to_container(source, resolve=True)
        if not isinstance(source, Mapping):
            raise TypeError(f"ocr settings must be a Settings, a mapping or a DictConfig, not {type(source)}")
        values = dict(source)
    values.update(overrides)
    known = {f.name for f in dataclasses.fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"unknown ocr setting(s) {', '.join(unknown)} (choices: {', '.join(sorted(known))})")
    trocr = values.pop("trocr", None)
    if isinstance(trocr, Mapping):
        trocr = TrOCRSettings(**trocr)
    s = Settings(**values, trocr=trocr if isinstance(trocr, TrOCRSettings) else TrOCRSettings())
    check(s)
    return s


def check(s: Settings) -> None:
    """Raise ValueError naming the first bad ``ocr.*`` value and what would be valid."""

    def bad(key: str, value: Any, why: str) -> ValueError:
        return ValueError(f"wrong value for 'ocr.{key}': {value!r} ({why})")

    if s.engine not in ENGINES:
        raise bad("engine", s.engine, f"choices: {', '.join(ENGINES)}")
    members = list(s.ensemble)
    if not members or any(m not in MEMBERS for m in members):
        raise bad("ensemble", members, f"a non-empty list of {', '.join(MEMBERS)}")
    if s.trocr.device not in DEVICES:
        raise bad("trocr.device", s.trocr.device, f"choices: {', '.join(DEVICES)}")
    if s.trocr.dtype not in DTYPES:
        raise bad("trocr.dtype", s.trocr.dtype, f"choices: {', '.join(DTYPES)}")
    for key in ("num_beams", "max_new_tokens", "batch_size"):
        if getattr(s.trocr, key) < 1:
            raise bad(f"trocr.{key}", getattr(s.trocr, key), "must be at least 1")
    if not 0.0 < s.none_similarity < 1.0:
        raise bad("none_similarity", s.none_similarity, "must lie strictly between 0 and 1")
    if not 0.001 <= s.temperature <= 1.0:
        raise bad("temperature", s.temperature, "must lie between 0.001 and 1")
    if not (math.isfinite(s.prior_weight) and s.prior_weight >= 0):
        raise bad("prior_weight", s.prior_weight, "must be a number >= 0")
    unknown = [k for k in s.region_kinds if k not in REGION_KINDS]
    if not s.region_kinds or unknown:
        raise bad("region_kinds", list(s.region_kinds), f"a non-empty list of {', '.join(REGION_KINDS)}")
    if not s.crop_pads or any(not 0.0 <= p <= 2.0 for p in s.crop_pads):
        raise bad("crop_pads", list(s.crop_pads), "a non-empty list of margins from 0 to 2 line heights")
    if not 8 <= s.min_line_height <= s.max_line_height <= 512:
        raise ValueError(
            f"wrong values for 'ocr.min_line_height'/'ocr.max_line_height': {s.min_line_height}/"
            f"{s.max_line_height} (8 <= min <= max <= 512 pixels)"
        )
    if not 0.0 <= s.retry_below <= 1.0:
        raise bad("retry_below", s.retry_below, "must lie between 0 (never) and 1 (always)")
    if not 0.0 <= s.image_fallback_min <= 1.0:
        raise bad("image_fallback_min", s.image_fallback_min, "must lie between 0 and 1")
    if not 0.0 <= s.min_confidence <= 1.0:
        raise bad("min_confidence", s.min_confidence, "must lie between 0 and 1")
    for key in ("batch_size", "ppocr_batch_size"):
        if getattr(s, key) < 1:
            raise bad(key, getattr(s, key), "must be at least 1")
    if s.ppocr_alphabet not in ALPHABETS:
        raise bad("ppocr_alphabet", s.ppocr_alphabet, f"choices: {', '.join(ALPHABETS)}")
    if s.threads < 0:
        raise bad("threads", s.threads, "must be 0 (stage.cpus) or more")
    if s.max_pixels < 10_000:
        raise bad("max_pixels", s.max_pixels, "must be at least 10000")
    if s.report_samples < 0:
        raise bad("report_samples", s.report_samples, "must not be negative")
    for key in ("names_file", "predictions"):
        value = getattr(s, key)
        if value is not None and not Path(value).expanduser().is_file():
            raise bad(key, value, "no such file")
