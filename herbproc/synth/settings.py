"""Reading and checking the ``synth`` settings, from the config section or from plain Python."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from herbproc.schema.synth import Settings

FONT_STYLES = ("serif", "sans", "typewriter", "handwriting")
MIN_WIDTH, MIN_HEIGHT = 300, 300
SHARES = (
    "handwriting_share",
    "annotation_share",
    "packet_share",
    "infraspecific_share",
    "sterile_share",
    "unknown_condition_share",
    "fading",
    "occlusion_share",
)


def coerce_settings(settings: Any = None, **overrides: Any) -> Settings:
    """A ``Settings`` from None (defaults), a ``Settings``, a mapping or DictConfig of the ``synth`` keys, or a
    whole run configuration (its ``synth`` section); keyword arguments override single keys."""
    if settings is None:
        values: dict[str, Any] = {}
    elif isinstance(settings, Settings):
        values = dataclasses.asdict(settings)
    else:
        if hasattr(settings, "synth") and not isinstance(settings, Settings):
            settings = settings.synth
        if hasattr(settings, "_metadata"):  # an OmegaConf node
            from omegaconf import OmegaConf

            settings = OmegaConf.to_container(settings, resolve=True)
        if not isinstance(settings, Mapping):
            raise TypeError(
                f"synth settings must be a Settings, a mapping or a DictConfig, not {type(settings)}"
            )
        values = dict(settings)
    values.update(overrides)
    known = {f.name for f in dataclasses.fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(
            f"unknown synth setting(s) {', '.join(unknown)} (choices: {', '.join(sorted(known))})"
        )
    out = Settings(**values)
    out.font_styles = list(out.font_styles)
    return out


def check_settings(s: Settings) -> None:
    """Raise ValueError naming the first bad ``synth.*`` value and what would be valid."""

    def bad(key: str, why: str) -> ValueError:
        return ValueError(f"wrong value for 'synth.{key}': {getattr(s, key)!r} ({why})")

    if s.seed < 0:
        raise bad("seed", "must be >= 0")
    if s.species < 1:
        raise bad("species", "must be at least 1")
    if s.sheets_per_species < 1:
        raise bad("sheets_per_species", "must be at least 1")
    if s.width < MIN_WIDTH:
        raise bad("width", f"must be at least {MIN_WIDTH} pixels")
    if s.height < MIN_HEIGHT:
        raise bad("height", f"must be at least {MIN_HEIGHT} pixels")
    if not 1.0 <= s.height / s.width <= 2.5:
        raise bad(
            "height", f"sheets are portrait: height/width must lie between 1 and 2.5 (width is {s.width})"
        )
    if not s.base_url.startswith(("http://", "https://")) or s.base_url.rstrip("/") in ("http:", "https:"):
        raise bad("base_url", "must be an http:// or https:// URL")
    if not s.font_styles:
        raise bad("font_styles", f"give at least one of {', '.join(FONT_STYLES)}")
    unknown = [f for f in s.font_styles if f not in FONT_STYLES]
    if unknown:
        raise ValueError(
            f"wrong value for 'synth.font_styles': unknown font style {', '.join(map(repr, unknown))} "
            f"(choices: {', '.join(FONT_STYLES)})"
        )
    for key in SHARES:
        if not 0.0 <= getattr(s, key) <= 1.0:
            raise bad(key, "must lie between 0 and 1")
    if not 0.0 <= s.label_rotation_deg <= 10.0:
        raise bad("label_rotation_deg", "must lie between 0 and 10 degrees")
    if not 0.0 <= s.background_margin <= 0.15:
        raise bad("background_margin", "must lie between 0 and 0.15")
    if s.blur < 0 or s.blur > 20:
        raise bad("blur", "must lie between 0 and 20 pixels")
    if s.noise < 0 or s.noise > 64:
        raise bad("noise", "must lie between 0 and 64 grey levels")
    if not 1.0 <= s.downsample <= 16.0:
        raise bad("downsample", "must lie between 1 and 16")
    if not 1 <= s.jpeg_quality <= 100:
        raise bad("jpeg_quality", "must lie between 1 and 100")
    if s.species * s.sheets_per_species > 50_000_000:
        raise bad("sheets_per_species", "more than 50 million sheets in all")
