from __future__ import annotations

from dataclasses import dataclass, field

SECTION = "mask"

# what can be masked (mask.targets) -> the region kinds each target covers (herbproc.mask.regions)
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
    batch_size: int = 16  # sheets written to the store together (then journaled)
    report_samples: int = 4  # sheets shown before/after in the run report
