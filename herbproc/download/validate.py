"""Is this download an image? Content type, magic bytes, a full decode, and the decoded training copy.

Each failure has its own reason: ``html_page`` (a web page instead of an image), ``content_type`` (the server says
it is something else), ``not_an_image`` (no known image signature), ``decompression_bomb`` (more pixels than
``download.max_pixels`` declared in the header, or more bytes to decode than the decode memory budget, see
``herbproc.membudget``: refused before decoding), ``truncated_image`` (the data stop
early), ``decode_error`` (anything else the decoder rejects).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFile, ImageOps

from herbproc.membudget import MemoryBudget, decode_bytes, gb
from herbproc.shard import ItemError
from herbproc.store.decode import to_rgb
from herbproc.store.layout import fit_box, fit_into_canvas

Image.MAX_IMAGE_PIXELS = None  # our own limit (max_pixels) applies, with its own failure reason
ImageFile.LOAD_TRUNCATED_IMAGES = False

GENERIC_TYPES = (
    "",
    "application/octet-stream",
    "binary/octet-stream",
    "application/binary",
    "application/x-binary",
)
SIGNATURES = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "jp2"),
    (b"\xff\x4f\xff\x51", "jp2"),
)


def sniff_format(data: bytes) -> str | None:
    for magic, name in SIGNATURES:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")) or b"<html" in head


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def check_content_type(content_type: str) -> None:
    """Refuse a response by its header alone: HTML, or another type that cannot be an image."""
    mt = media_type(content_type)
    if mt in ("text/html", "application/xhtml+xml"):
        raise ItemError("html_page", f"server sent a web page (Content-Type {content_type})")
    if mt.startswith("image/") or mt in GENERIC_TYPES:
        return
    raise ItemError("content_type", f"Content-Type {content_type} is not an image type")


@dataclass
class Prepared:
    """A verified download and its training copy."""

    copy: np.ndarray  # uint8 height x width x 3 (RGB, EXIF-oriented, fitted and centre-padded)
    box: tuple[int, int, int, int]
    height: int  # the original's size, as displayed (after EXIF orientation)
    width: int
    orientation: int
    image_format: str
    sha256: str
    nbytes: int


def prepare(
    data: bytes,
    *,
    height: int,
    width: int,
    pad_value: int = 0,
    max_pixels: int = 250_000_000,
    content_type: str = "",
    budget: MemoryBudget | None = None,
) -> Prepared:
    """Verify ``data`` is a whole image and make its training copy (raises ItemError with the reason).

    With a ``budget`` the decode waits until the bytes it needs are free (threads share it), and an image that
    needs more than the whole budget is refused before decoding."""
    if not data:
        raise ItemError("empty_body", "the server sent no bytes")
    fmt = sniff_format(data)
    if fmt is None:
        if looks_like_html(data):
            raise ItemError("html_page", f"a web page, not an image (Content-Type {content_type or '?'})")
        raise ItemError("not_an_image", f"no image signature in the first bytes {data[:8]!r}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except Exception as e:
        raise ItemError("decode_error", f"{fmt} header cannot be read: {e}") from None
    w0, h0 = im.size
    if w0 * h0 > max_pixels:
        raise ItemError(
            "decompression_bomb", f"{w0}x{h0} = {w0 * h0} pixels is over download.max_pixels={max_pixels}"
        )
    try:
        orientation = int(im.getexif().get(0x0112, 1) or 1)
    except Exception:
        orientation = 1
    if orientation not in range(1, 9):
        orientation = 1
    turned = orientation in (5, 6, 7, 8)
    disp_h, disp_w = (w0, h0) if turned else (h0, w0)
    y0, x0, y1, x1 = fit_box(disp_h, disp_w, height, width)
    if fmt == "jpeg":
        need_w, need_h = (y1 - y0, x1 - x0) if turned else (x1 - x0, y1 - y0)
        im.draft("RGB", (need_w, need_h))  # DCT-domain downscale: every byte is still decoded
    need = decode_bytes(*im.size, im.mode, len(im.getbands()), "transparency" in im.info)
    if budget is not None and not budget.fits(need):
        raise ItemError(
            "decompression_bomb",
            f"{w0}x{h0} {im.mode} needs ~{gb(need)} to decode, over the decode memory budget of "
            f"{gb(budget.total)} (download.decode_mem_gb)",
        )
    with budget.hold(need) if budget is not None else contextlib.nullcontext():
        try:
            im.load()
            if getattr(im, "n_frames", 1) > 1:
                im.seek(0)
            im = ImageOps.exif_transpose(im) if orientation != 1 else im
            rgb = np.asarray(to_rgb(im))
        except (OSError, SyntaxError, ValueError, EOFError) as e:
            text = str(e)
            reason = "truncated_image" if "truncated" in text or "broken data stream" in text else "decode_error"
            raise ItemError(reason, f"{fmt} does not decode: {text}") from None
        copy, box = fit_into_canvas(rgb, height, width, pad_value)
        del rgb, im
    return Prepared(copy, box, disp_h, disp_w, orientation, fmt, hashlib.sha256(data).hexdigest(), len(data))
