from __future__ import annotations

from dataclasses import dataclass

SECTION = "export"


@dataclass
class Settings:
    """stage=export format=cub: the store written out for other code (the official IELT reads CUB_200_2011)."""

    out: str | None = None  # default <run_dir>/export/<format>
    images: str = (
        "copy"  # copy: the store's training copy as JPEG | original: the downloaded bytes as they are
    )
    variant: str = "auto"  # copy: auto (masked when the mask stage finished) | raw | masked
    jpeg_quality: int = 95  # copy
    val_as: str = "test"  # CUB has train/test only: val rows go to test | train | skip
