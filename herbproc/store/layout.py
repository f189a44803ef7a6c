"""The store's layout (``<store>/layout.json``), its arrays, and the geometry of the training copy.

Every array has one entry per image (row ``i`` = manifest row ``i``) and belongs to a *family*: the arrays one
stage writes together (``core``: download; ``mask``: the mask stage). Rows are grouped in *blocks* of
``layout.block`` images: a Zarr shard, or one HDF5 part file per family. A writer owns whole blocks, so two
processes never write the same file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np

from herbproc.schema.storage import ENCODED_CODECS, PIXEL_CODECS

FORMAT = "herbproc-store"
VERSION = 1
KINDS = ("pixels", "bytes", "text", "value")


class StoreError(RuntimeError):
    """The store is missing, incomplete or does not match what is asked of it."""


@dataclass
class ArraySpec:
    name: str
    kind: str  # pixels | bytes | text | value
    shape: list[int] = field(default_factory=list)  # per image (pixels, value)
    dtype: str = "uint8"  # value and dense pixels
    codec: str = "none"  # pixels: jpeg | png | zstd | lz4 | none; value: zstd | none
    quality: int = 95  # jpeg
    level: int = 3  # zstd / lz4
    family: str = "core"
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"array {self.name}: unknown kind '{self.kind}' (choices: {', '.join(KINDS)})")
        if self.kind == "pixels" and self.codec not in PIXEL_CODECS:
            raise ValueError(
                f"array {self.name}: unknown codec '{self.codec}' (choices: {', '.join(PIXEL_CODECS)})"
            )
        self.shape = [int(s) for s in self.shape]

    @property
    def encoded(self) -> bool:
        """Stored as variable-length bytes (encoded pixels, raw bytes)."""
        return self.kind == "bytes" or (self.kind == "pixels" and self.codec in ENCODED_CODECS)

    @property
    def row_shape(self) -> tuple[int, ...]:
        """Shape of one row as the backend stores it (encoded and variable-length rows are scalars)."""
        return () if self.storage in ("vlen_bytes", "vlen_text") else tuple(self.shape)

    @property
    def storage(self) -> str:
        """How the backend stores it: vlen_bytes | vlen_text | dense_image (one row per chunk) | dense_block."""
        if self.encoded:
            return "vlen_bytes"
        if self.kind == "text":
            return "vlen_text"
        return "dense_image" if self.kind == "pixels" else "dense_block"


@dataclass
class Layout:
    backend: str  # zarr | hdf5
    n: int
    block: int
    height: int
    width: int
    pad_value: int
    arrays: dict[str, ArraySpec]
    ids_sha256: str = ""
    complete: list[str] = field(default_factory=list)  # families whose writing stage has finished
    format: str = FORMAT
    version: int = VERSION

    def families(self) -> list[str]:
        return sorted({a.family for a in self.arrays.values()})

    def family_arrays(self, family: str) -> list[ArraySpec]:
        return [a for a in self.arrays.values() if a.family == family]

    @property
    def n_blocks(self) -> int:
        return (self.n + self.block - 1) // self.block

    def block_rows(self, b: int) -> range:
        return range(b * self.block, min(self.n, (b + 1) * self.block))

    def to_json(self) -> dict:
        d = asdict(self)
        d["arrays"] = {k: asdict(v) for k, v in self.arrays.items()}
        return d

    @classmethod
    def from_json(cls, d: dict) -> Layout:
        d = dict(d)
        d["arrays"] = {k: ArraySpec(**v) for k, v in d["arrays"].items()}
        return cls(**d)

    @classmethod
    def load(cls, store_dir: Path) -> Layout:
        path = store_dir / "layout.json"
        if not path.exists():
            raise StoreError(
                f"{store_dir} is not a herbproc store (no layout.json): run stage=download first"
            )
        try:
            d = json.loads(path.read_text())
        except json.JSONDecodeError as e:
            raise StoreError(f"{path} is damaged: {e}") from None
        if d.get("format") != FORMAT:
            raise StoreError(f"{path} is not a herbproc store layout")
        return cls.from_json(d)


def valid_name(family: str) -> str:
    """The per-row flag of a family: ``valid`` for core, ``<family>_valid`` for the others."""
    return "valid" if family == "core" else f"{family}_valid"


def core_arrays(height: int, width: int, codec: str, quality: int, level: int) -> dict[str, ArraySpec]:
    arrays = [
        ArraySpec("gbif_id", "text", description="manifest gbifID of the row"),
        ArraySpec("label", "value", dtype="int64", codec="zstd", description="class index (classes.csv)"),
        ArraySpec(
            "valid", "value", dtype="uint8", codec="zstd", description="1 when the row's image is stored"
        ),
        ArraySpec(
            "image",
            "pixels",
            [height, width, 3],
            codec=codec,
            quality=quality,
            level=level,
            description="training copy, RGB, fitted into height x width and centre-padded",
        ),
        ArraySpec("original", "bytes", description="the downloaded bytes, exactly"),
        ArraySpec(
            "height", "value", dtype="int32", codec="zstd", description="original height (EXIF-oriented)"
        ),
        ArraySpec(
            "width", "value", dtype="int32", codec="zstd", description="original width (EXIF-oriented)"
        ),
        ArraySpec(
            "nbytes", "value", dtype="int64", codec="zstd", description="size of the original in bytes"
        ),
        ArraySpec("sha256", "text", description="SHA-256 of the original, hex"),
        ArraySpec("content_type", "text", description="Content-Type the server sent"),
        ArraySpec("image_format", "text", description="format found in the bytes: jpeg, png, tiff, ..."),
        ArraySpec(
            "orientation", "value", dtype="uint8", codec="zstd", description="EXIF orientation applied (1-8)"
        ),
        ArraySpec(
            "box",
            "value",
            [4],
            dtype="int32",
            codec="zstd",
            description="y0 x0 y1 x1 of the picture in the copy",
        ),
    ]
    return {a.name: a for a in arrays}


# --------------------------------------------------------------------------------------------- geometry


def fit_box(h: int, w: int, height: int, width: int) -> tuple[int, int, int, int]:
    """Where an h x w picture lands in the height x width canvas: scaled to fit whole, centred."""
    scale = min(height / h, width / w)
    nh, nw = max(1, min(height, round(h * scale))), max(1, min(width, round(w * scale)))
    y0, x0 = (height - nh) // 2, (width - nw) // 2
    return y0, x0, y0 + nh, x0 + nw


def fit_into_canvas(
    rgb: np.ndarray, height: int, width: int, pad_value: int = 0
) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """Resize ``rgb`` (keeping its aspect) to fit inside height x width and centre it on a padded canvas."""
    h, w = rgb.shape[:2]
    y0, x0, y1, x1 = fit_box(h, w, height, width)
    nh, nw = y1 - y0, x1 - x0
    interp = cv2.INTER_AREA if nh < h else cv2.INTER_CUBIC
    resized = rgb if (nh, nw) == (h, w) else cv2.resize(rgb, (nw, nh), interpolation=interp)
    canvas = np.full((height, width, *rgb.shape[2:]), pad_value, dtype=np.uint8)
    canvas[y0:y1, x0:x1] = resized
    return canvas, (y0, x0, y1, x1)


# --------------------------------------------------------------------------------------------- pixel codecs


def encode_pixels(spec: ArraySpec, pixels: np.ndarray) -> bytes | np.ndarray:
    """What the backend stores for one row of a pixel array (encoded bytes or the array itself)."""
    pixels = np.asarray(pixels)
    if list(pixels.shape) != spec.shape or pixels.dtype != np.uint8:
        raise ValueError(
            f"array {spec.name}: expected uint8 {spec.shape}, got {pixels.dtype} {list(pixels.shape)}"
        )
    if spec.codec in ENCODED_CODECS:
        bgr = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR) if pixels.ndim == 3 else pixels
        if spec.codec == "jpeg":
            ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, spec.quality])
        else:
            ok, buf = cv2.imencode(".png", bgr, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    else:
        return pixels
    if not ok:
        raise ValueError(f"array {spec.name}: {spec.codec} encoding failed")
    return buf.tobytes()


def decode_pixels(spec: ArraySpec, stored) -> np.ndarray:
    if spec.codec not in ENCODED_CODECS:
        return np.asarray(stored)
    if stored is None or len(stored) == 0:
        return np.zeros(spec.shape, np.uint8)
    flag = cv2.IMREAD_COLOR if len(spec.shape) == 3 else cv2.IMREAD_GRAYSCALE
    out = cv2.imdecode(np.frombuffer(stored, np.uint8), flag)
    if out is None:
        raise StoreError(f"array {spec.name}: stored {spec.codec} bytes do not decode")
    return cv2.cvtColor(out, cv2.COLOR_BGR2RGB) if out.ndim == 3 else out


def row_runs(rows) -> list[tuple[int, int, int]]:
    """Contiguous runs of sorted row numbers: (start, stop, offset of start in ``rows``)."""
    out = []
    k = 0
    while k < len(rows):
        j = k
        while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
            j += 1
        out.append((int(rows[k]), int(rows[j]) + 1, k))
        k = j + 1
    return out
