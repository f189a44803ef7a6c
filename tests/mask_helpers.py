"""Small run directories with a store of synthetic sheets, as stage=download would leave them, for the mask tests."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

from herbproc.download.validate import prepare
from herbproc.store import create_store, open_store
from herbproc.synth import make_world, render_sheet

COPY_H, COPY_W = 90, 60  # training copies: tiny, the tests look at the originals' masks


def synthetic_sheets(n: int, seed: int = 5, width: int = 600, height: int = 900) -> list:
    world = make_world({"species": 3, "sheets_per_species": max(1, (n + 2) // 3), "width": width, "height": height},
                       seed=seed)  # fmt: skip
    return [render_sheet(world, i) for i in range(n)]


def huge_png(width: int = 60_000, height: int = 60_000) -> bytes:
    """A valid PNG header declaring ``width`` x ``height`` pixels (3.6 gigapixels by default) with almost no data:
    what a decompression bomb looks like before it is decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def jpeg(rgb: np.ndarray, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def store_run(
    run_dir: Path, originals: list[bytes], ids: list[str] | None = None, *, backend: str = "zarr", block: int = 2,
    broken: dict[int, bytes] | None = None,
) -> Path:  # fmt: skip
    """``run_dir/store`` holding ``originals`` (rows in order), as a finished download made it. ``broken``: rows
    whose stored original is replaced afterwards (bytes the download accepted, damaged on disk later)."""
    ids = ids or [str(9_000_000 + i) for i in range(len(originals))]
    store = create_store(run_dir / "store", backend=backend, gbif_ids=ids, labels=[i % 3 for i in range(len(ids))],
                         height=COPY_H, width=COPY_W, codec="png", block=block)  # fmt: skip
    with store.writer("core") as w:
        for row, data in enumerate(originals):
            p = prepare(data, height=COPY_H, width=COPY_W)
            w.put(row, image=p.copy, original=data, height=p.height, width=p.width, nbytes=p.nbytes, sha256=p.sha256,
                  content_type="image/jpeg", image_format=p.image_format, orientation=p.orientation, box=list(p.box))  # fmt: skip
    if broken:
        with store.writer("core") as w:
            for row, data in broken.items():
                w.put(row, original=data)
    store = open_store(run_dir / "store", writable=True)
    store.mark_complete("core")
    return run_dir / "store"
