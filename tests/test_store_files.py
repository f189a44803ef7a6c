"""Files a parallel file system tolerates: a store holds one file per block and array (Zarr) or per block and
family (HDF5), never one per image, the default block keeps a full run under ~100 k files per million sheets, and
reading one image from a shard reads that image, not the whole shard."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

from herbproc.mask.stage import mask_arrays
from herbproc.schema.storage import Settings
from herbproc.store import create_store, open_store

N, BLOCK, H, W = 40, 8, 12, 8
ROOT_FILES = 3  # layout.json, .layout.lock, and zarr.json (Zarr) or store.h5 (HDF5)


def full_run_store(path: Path, backend: str, n: int = N, block: int = BLOCK):
    """Every array a run writes (download's core family, the mask stage's family), through the real writers, the
    way the stages flush (download: whole blocks; mask: a few rows at a time)."""
    store = create_store(path, backend=backend, gbif_ids=[str(i) for i in range(n)], labels=[0] * n,
                         height=H, width=W, codec="jpeg", block=block)  # fmt: skip
    img = np.random.default_rng(0).integers(0, 255, (H, W, 3), dtype=np.uint8)
    with store.writer("core") as w:
        for i in range(n):
            w.put(i, image=img, original=bytes([i % 256]) * 50, height=30, width=20, nbytes=50, sha256=f"{i:064x}",
                  content_type="image/jpeg", image_format="jpeg", orientation=1, box=[0, 0, H, W])  # fmt: skip
    store.mark_complete("core")
    for spec in mask_arrays(store):
        store.ensure_array(spec)
    with store.writer("mask") as w:
        for i in range(n):
            w.put(
                i, image_masked=img, mask=np.zeros((H, W), np.uint8), mask_full=b"png", mask_detections="{}"
            )
            if i % 3 == 2:
                w.flush()
    store.mark_complete("mask")
    return open_store(path)


def files_under(path: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(path))


def test_zarr_holds_one_file_per_block_and_array(tmp_path):
    store = full_run_store(tmp_path / "s", "zarr")
    arrays = len(store.layout.arrays)
    assert arrays >= 18  # 13 core + mask's 4 + mask_valid
    blocks = math.ceil(N / BLOCK)
    bound = arrays * (1 + blocks) + ROOT_FILES  # zarr.json + one shard file per block, per array
    assert files_under(tmp_path / "s") <= bound
    assert bound < arrays * N  # one file per image would not pass
    assert store.image(N - 1).shape == (H, W, 3)


def test_hdf5_holds_one_part_per_block_and_family(tmp_path):
    store = full_run_store(tmp_path / "s", "hdf5")
    families = len(store.layout.families())
    assert families == 2
    assert files_under(tmp_path / "s") <= families * math.ceil(N / BLOCK) + ROOT_FILES


def test_default_blocks_keep_a_million_sheets_under_100k_files(tmp_path):
    arrays = len(full_run_store(tmp_path / "s", "zarr").layout.arrays)
    s = Settings()
    zarr_files = arrays * (1 + math.ceil(1_000_000 / s.zarr_shard_images)) + ROOT_FILES
    hdf5_files = 2 * math.ceil(1_000_000 / s.hdf5_part_images) + ROOT_FILES
    assert zarr_files < 100_000, f"{arrays} arrays x {s.zarr_shard_images}-image shards: {zarr_files} files"
    assert hdf5_files < 100_000


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs /proc/self/io (Linux)")
def test_reading_one_image_reads_its_chunk_not_the_shard(tmp_path):
    n, size = 64, 20_000
    store = create_store(tmp_path / "s", backend="zarr", gbif_ids=[str(i) for i in range(n)], labels=[0] * n,
                         height=H, width=W, block=n)  # fmt: skip
    rng = np.random.default_rng(1)
    with store.writer("core") as w:
        for i in range(n):
            w.put(i, original=rng.integers(0, 255, size, dtype=np.uint8).tobytes())  # incompressible
    reader = open_store(tmp_path / "s")
    reader.original(0)  # metadata read and cached

    def rchar() -> int:
        with open("/proc/self/io") as f:
            return int(next(line for line in f if line.startswith("rchar:")).split()[1])

    before = rchar()
    assert len(reader.original(37)) == size
    read = rchar() - before
    assert read < size + 16 * n + 4096, (
        f"{read} bytes read for one {size}-byte row of a {n * size}-byte shard"
    )
