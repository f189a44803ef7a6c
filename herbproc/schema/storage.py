from __future__ import annotations

from dataclasses import dataclass

SECTION = "storage"
ENCODED_CODECS = ("jpeg", "png")  # pixels stored as one encoded image per row (variable-length bytes)
DENSE_CODECS = ("zstd", "lz4", "none")  # pixels stored as a dense uint8 array, one image per chunk
PIXEL_CODECS = ENCODED_CODECS + DENSE_CODECS


@dataclass
class Settings:
    """The image store (<run_dir>/store, backend from the top-level key store=zarr|hdf5), fixed at creation."""

    height: int = 900  # training copy: the picture is scaled to fit height x width whole and centre-padded;
    width: int = 600  # a 2:3 portrait sheet fills 600 x 900 exactly (short side 600, as IELT's Resize(600))
    pad_value: int = 0
    codec: str = "jpeg"  # training copy: jpeg | png | zstd | lz4 | none (see docs/data-layout.md)
    jpeg_quality: int = 95
    level: int = 3  # zstd / lz4 level
    zarr_shard_images: int = 256  # images per Zarr shard file (the unit a job shard owns); see data-layout.md
    hdf5_part_images: int = 256  # images per HDF5 part file

    def __post_init__(self) -> None:
        if self.codec not in PIXEL_CODECS:
            raise ValueError(
                f"wrong value for 'storage.codec': '{self.codec}' (choices: {', '.join(PIXEL_CODECS)})"
            )
        if self.height < 16 or self.width < 16:
            raise ValueError(f"storage.height/width must be at least 16 (got {self.height} x {self.width})")
        if not 1 <= self.jpeg_quality <= 100:
            raise ValueError(f"wrong value for 'storage.jpeg_quality': {self.jpeg_quality} (1..100)")
        if not 0 <= self.pad_value <= 255:
            raise ValueError(f"wrong value for 'storage.pad_value': {self.pad_value} (0..255)")
        if self.zarr_shard_images < 1 or self.hdf5_part_images < 1:
            raise ValueError("storage.zarr_shard_images and storage.hdf5_part_images must be at least 1")
