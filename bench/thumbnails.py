#!/usr/bin/env python
"""A gold set as GBIF thumbnails: a copy of a ``bench/aocr.py`` set folder (``images/``, ``parsed/``,
``names.txt``) whose images are shrunk to fit SIZE x SIZE pixels (PIL ``thumbnail``, Lanczos, JPEG quality 90):
a 3744 x 5616 sheet becomes 500 x 750, as GBIF serves Harvard's. ``bench/fieldcal.py`` fits the field
calibration on sets read both ways.

    python bench/thumbnails.py ../shared/fixtures/aocr_gold /data/thumbs/aocr_gold
    python bench/aocr.py --set aocr --aocr-folder /data/thumbs/aocr_gold
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path


def shrink_set(source: Path, target: Path, size: int = 750) -> int:
    """Copy the set at ``source`` to ``target`` with its images shrunk to fit ``size``; how many images.
    ValueError in one line when ``source`` is not a set folder or an image cannot be read."""
    from PIL import Image, UnidentifiedImageError

    images = source / "images"
    if not images.is_dir() or not (source / "parsed").is_dir():
        raise ValueError(f"{source} is not a set folder (no images/ or parsed/)")
    files = sorted(p for p in images.iterdir() if p.is_file())
    if not files:
        raise ValueError(f"{images} holds no image")
    (target / "images").mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "parsed", target / "parsed", dirs_exist_ok=True)
    for extra in source.iterdir():
        if extra.is_file():
            shutil.copy(extra, target / extra.name)
    for path in files:
        try:
            with Image.open(path) as im:
                small = im.convert("RGB")
        except (UnidentifiedImageError, OSError) as e:
            raise ValueError(f"{path}: not an image ({e.__class__.__name__})") from None
        small.thumbnail((size, size), Image.LANCZOS)
        small.save(target / "images" / path.name, format="JPEG", quality=90)
    return len(files)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", type=Path, help="a set folder: images/, parsed/, names.txt")
    p.add_argument("target", type=Path, help="where the thumbnails' set goes")
    p.add_argument("--size", type=int, default=750, help="the longer side, in pixels (default 750)")
    args = p.parse_args(argv)
    if not 32 <= args.size <= 10_000:
        p.error(f"--size {args.size}: expected 32 to 10000 pixels")
    if args.target.resolve() == args.source.resolve():
        p.error("the target is the source: the originals would be overwritten")
    try:
        n = shrink_set(args.source, args.target, args.size)
    except ValueError as e:
        print(f"thumbnails: {e}", file=sys.stderr)
        return 2
    print(f"{n} images shrunk to fit {args.size} px into {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
