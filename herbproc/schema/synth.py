from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from herbproc.schema.build import section_settings, wrong

SECTION = "synth"
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


@dataclass
class Settings:
    """The synthetic herbarium world (stage=synth): taxonomy, specimens, sheet rendering, Darwin Core Archive.

    Same seed and settings give the same bytes, whichever shard renders a sheet. Shares are probabilities in
    [0, 1]; sizes are pixels.
    """

    seed: int = 0  # the world's own seed (independent of the top-level training seed)
    species: int = 6  # number of taxa (a few are infraspecific, "var.")
    sheets_per_species: int = 8
    width: int = 1500  # sheet image size in pixels
    height: int = 2250
    base_url: str = "http://127.0.0.1:8765"  # multimedia identifiers: <base_url>/images/<gbifID>.jpg
    font_styles: list[str] = field(default_factory=lambda: ["serif", "sans", "typewriter", "handwriting"])
    handwriting_share: float = 0.25  # share of labels whose data lines are handwritten
    annotation_share: float = 0.35  # share of sheets with a determination/annotation slip
    packet_share: float = 0.35  # share of sheets with a (blank) fragment packet
    infraspecific_share: float = 0.15  # share of taxa that are varieties
    sterile_share: float = 0.2  # share of specimens with no flowers, fruits or buds
    unknown_condition_share: float = 0.1  # share of records whose reproductiveCondition is left empty
    label_rotation_deg: float = 1.5  # labels, slips and stamps are turned by up to this many degrees
    background_margin: float = 0.035  # dark background around the paper, as a share of the width; 0 = none
    # degradation knobs for OCR experiments
    blur: float = 0.0  # Gaussian blur sigma in pixels over the whole sheet
    fading: float = 0.0  # 0..1: label ink fades toward the paper colour
    occlusion_share: float = 0.0  # share of labels partly covered by a strip of tape or paper
    downsample: float = 1.0  # >= 1: shrink by this factor and enlarge back (loses detail, keeps the size)
    noise: float = 4.0  # standard deviation of the sensor noise, in grey levels
    jpeg_quality: int = 90
    distractors: bool = False  # add records ingest must reject (observations, no media, far away, sound)

    def __post_init__(self) -> None:
        self.font_styles = list(self.font_styles)
        check_settings(self)


def synth_settings(source: Any = None, **overrides: Any) -> Settings:
    """A checked ``Settings`` from None (defaults), a ``Settings``, a mapping or DictConfig of the ``synth`` keys,
    or a whole run configuration (its ``synth`` section); keyword arguments override single keys."""
    return section_settings(Settings, SECTION, source, **overrides)


def check_settings(s: Settings) -> None:
    """Raise ValueError naming the first bad ``synth.*`` value and what would be valid."""

    def bad(key: str, why: str) -> ValueError:
        return wrong(f"synth.{key}", getattr(s, key), why)

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
