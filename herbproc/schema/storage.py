from __future__ import annotations

from dataclasses import dataclass

SECTION = "storage"


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
