"""Decoding a stored original into pixels, with the checks every stage that reads originals needs."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps

from herbproc.membudget import decode_bytes, gb
from herbproc.shard import ItemError


def to_rgb(im: Image.Image) -> Image.Image:
    """RGB over white for transparent images; 16-bit and float greys scaled to 8 bits."""
    if im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        top = arr.max() or 1.0
        return Image.fromarray((arr * (255.0 / top)).astype(np.uint8)).convert("RGB")
    return im.convert("RGB")


def decode_original(
    data: bytes, max_pixels: int, max_bytes: int | None = None, setting: str = "max_pixels"
) -> np.ndarray:
    """The original as H x W x 3 RGB, EXIF-oriented like the store's training copy. ItemError ``decode_error``
    when it does not decode, ``too_large`` when its header declares more than ``max_pixels`` pixels or it would
    take more than ``max_bytes`` to decode (``herbproc.membudget.decode_bytes``)."""
    if not data:
        raise ItemError("decode_error", "the store holds no bytes for this row")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data))
            w, h = im.size
    except Exception as e:
        raise ItemError("decode_error", f"the image header cannot be read: {e}") from None
    if w * h > max_pixels:
        raise ItemError("too_large", f"{w}x{h} = {w * h} pixels is over {setting}={max_pixels}")
    need = decode_bytes(w, h, im.mode, len(im.getbands()), "transparency" in im.info)
    if max_bytes is not None and need > max_bytes:
        raise ItemError(
            "too_large", f"{w}x{h} {im.mode} needs ~{gb(need)} to decode, over {gb(max_bytes)} (half of stage.mem_gb)"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im.load()
            im = ImageOps.exif_transpose(im)
            rgb = np.asarray(to_rgb(im))
    except Exception as e:
        raise ItemError("decode_error", f"{im.format or 'image'} does not decode: {e}") from None
    if min(rgb.shape[:2]) < 32:
        raise ItemError("decode_error", f"{rgb.shape[1]}x{rgb.shape[0]} pixels is too small to be a sheet")
    return np.ascontiguousarray(rgb)
