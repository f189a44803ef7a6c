from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from herbproc.schema.build import section_settings, wrong

SECTION = "mask"

# what can be masked (mask.targets) -> the region kinds each target covers (herbproc.sheet.regions)
TARGETS = {
    "labels": ("label",),  # label cards, annotation slips, blocks of text written or printed on the sheet
    "stamps": ("stamp",),
    "barcodes": ("barcode",),
    "rulers": ("ruler",),
    "charts": ("colour_chart",),
    "cards": ("card",),  # blank paper: fragment packets, cards whose text could not be found
}
FILLS = ("auto", "paper", "telea", "ns", "black")


@dataclass
class Settings:
    """stage=mask and ``herbproc mask``: find labels, stamps, barcodes, rulers and colour charts and fill them.

    Detection runs on a working copy whose long side is ``work_side`` pixels (text is then about as tall in
    pixels whatever the scan's resolution); the mask is drawn and filled at full resolution.
    """

    targets: list[str] = field(default_factory=lambda: list(TARGETS))  # see TARGETS; docs/mask.md
    fill: str = "auto"  # auto | paper | telea | ns | black (see docs/mask.md)
    work_side: int = 800  # long side of the working copy, pixels
    pixel_threshold: float = 0.3  # PP-OCR text probability that counts as text (DB binarisation)
    line_threshold: float = 0.5  # mean probability a text line needs to be kept
    margin: float = 0.008  # border added around every region, as a share of the sheet's long side
    block_pad: float = 2.5  # text without a card found around it: padding in text-line heights
    protect_plant: bool = True  # never mask pixels that belong to the specimen
    fill_noise: bool = False  # paper fills get the paper's grain (a flat fill looks cleaner)
    inpaint_radius: int = 3  # TELEA/NS radius, in working-copy pixels
    threads: int = 0  # onnxruntime and OpenCV threads per process (0: stage.cpus in a job, 1 elsewhere)
    max_pixels: int = 150_000_000  # larger sheets fail with reason too_large (refused before decoding)
    batch_size: int = 16  # sheets marked in flight together (the store is written once per block)
    report_samples: int = 4  # sheets shown before/after in the run report

    def __post_init__(self) -> None:
        self.targets = [self.targets] if isinstance(self.targets, str) else list(self.targets)
        check(self)

def settings_from(source: Any = None, **overrides: Any) -> Settings:
    """A checked ``Settings`` from None (defaults), a ``Settings``, a mapping or DictConfig of the ``mask`` keys,
    or a whole run configuration (its ``mask`` section); keyword arguments override single keys."""
    return section_settings(Settings, SECTION, source, **overrides)


def check(s: Settings) -> None:
    """Raise ValueError naming the first bad ``mask.*`` value and what would be valid."""

    def bad(key: str, why: str) -> ValueError:
        return wrong(f"mask.{key}", getattr(s, key), why)

    unknown = [t for t in s.targets if t not in TARGETS]
    if unknown:
        raise ValueError(
            f"wrong value for 'mask.targets': unknown {', '.join(map(repr, unknown))} (choices: {', '.join(TARGETS)})"
        )
    if s.fill not in FILLS:
        raise bad("fill", f"choices: {', '.join(FILLS)}")
    if not 160 <= s.work_side <= 4000:
        raise bad("work_side", "must lie between 160 and 4000 pixels")
    for key in ("pixel_threshold", "line_threshold"):
        if not 0.0 < getattr(s, key) < 1.0:
            raise bad(key, "must lie strictly between 0 and 1")
    if not 0.0 <= s.margin <= 0.1:
        raise bad("margin", "must lie between 0 and 0.1 (a share of the sheet's long side)")
    if not 0.0 <= s.block_pad <= 20.0:
        raise bad("block_pad", "must lie between 0 and 20 line heights")
    if not 1 <= s.inpaint_radius <= 50:
        raise bad("inpaint_radius", "must lie between 1 and 50 pixels")
    if s.threads < 0:
        raise bad("threads", "must be 0 (stage.cpus) or more")
    if s.max_pixels < 10_000:
        raise bad("max_pixels", "must be at least 10000")
    if s.batch_size < 1:
        raise bad("batch_size", "must be at least 1")
    if s.report_samples < 0:
        raise bad("report_samples", "must not be negative")
