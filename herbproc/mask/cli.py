"""``herbproc mask IMAGE... -o OUTDIR`` and ``herbproc mask-eval``: masking without a scheduler or run directory.

herbproc mask sheet.jpg other.png -o out/     # out/<stem>.masked.png, <stem>.mask.png, <stem>.boxes.json
herbproc mask-eval --sheets 12 --seed 0       # quality on synthetic sheets with ground truth
herbproc mask-eval --run-dir runs/demo        # quality of a run's masks (its sheets are synthetic)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import cv2

from herbproc.commandline import nested
from herbproc.io import atomic_write_bytes, atomic_write_text
from herbproc.schema.mask import settings_from

SUFFIXES = (".masked.png", ".mask.png", ".boxes.json")


def _png(rgb_or_gray) -> bytes:
    img = cv2.cvtColor(rgb_or_gray, cv2.COLOR_RGB2BGR) if rgb_or_gray.ndim == 3 else rgb_or_gray
    ok, buf = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ValueError("PNG encoding failed")
    return buf.tobytes()


def run_mask(args: argparse.Namespace) -> int:
    from herbproc.mask.masker import mask_image
    from herbproc.shard import ItemError
    from herbproc.sheet.textdet import get_detector
    from herbproc.store.decode import decode_original

    settings = settings_from(nested(args.set, strip="mask", example="fill=telea"))
    paths = [Path(p) for p in args.images]
    for p in paths:  # every input is checked before anything is written
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file")
        if not p.is_file():
            raise ValueError(f"{p} is not a file")
    stems = [p.name.rsplit(".", 1)[0] for p in paths]
    if len(set(stems)) != len(stems):
        raise ValueError("two inputs have the same name stem: their outputs would overwrite each other")
    out = Path(args.out_dir)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} exists and is not a folder")
    detector = get_detector(max(1, int(settings.threads)))
    for path, stem in zip(paths, stems, strict=True):
        t0 = time.perf_counter()
        try:
            image = decode_original(path.read_bytes(), int(settings.max_pixels), setting="mask.max_pixels")
        except ItemError as e:
            raise ValueError(f"{path}: {e} ({e.reason})") from None
        result = mask_image(image, settings, detector)
        boxes = result.detections.to_json()
        boxes.update(
            source=str(path),
            targeted=result.targeted,
            masked_share=round(result.masked_share, 5),
            seconds={k: round(v, 3) for k, v in result.seconds.items()},
        )
        atomic_write_bytes(out / f"{stem}.masked.png", _png(result.masked))
        atomic_write_bytes(out / f"{stem}.mask.png", _png(result.mask))
        atomic_write_text(out / f"{stem}.boxes.json", json.dumps(boxes, indent=1) + "\n")
        kinds = ", ".join(sorted(result.detections.regions[i].kind for i in result.targeted)) or "nothing"
        print(
            f"{path}: masked {result.masked_share:.1%} ({kinds}) in {time.perf_counter() - t0:.2f} s",
            file=sys.stdout,
        )
    return 0


def run_eval(args: argparse.Namespace) -> int:
    from herbproc.mask.metrics import evaluate_synthetic

    settings = settings_from(nested(args.set, strip="mask", example="fill=telea"))
    if args.sheets < 1:
        raise ValueError(f"--sheets must be at least 1 (got {args.sheets})")
    if args.run_dir:
        from omegaconf import OmegaConf

        from herbproc.mask.report import run_scores

        saved = Path(args.run_dir) / "config" / "mask.yaml"
        if not saved.exists():
            raise FileNotFoundError(f"{saved} not found: has stage=mask run in {args.run_dir}?")
        cfg = OmegaConf.load(saved)
        cfg.run_dir = str(Path(args.run_dir).resolve())
        summary = run_scores(cfg, ocr_rows=args.sheets)
        if summary is None:
            raise ValueError(f"{args.run_dir} has no masked sheets with synthetic ground truth (synth/truth)")
    else:
        summary, _ = evaluate_synthetic(
            args.sheets, args.seed, settings, width=args.width, height=args.height
        )
    print(json.dumps(summary.to_json(), indent=1) if args.json else "\n".join(summary.lines()))
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mask", help="mask labels, stamps, barcodes, rulers and colour charts on sheet images")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="sheet images (JPEG, PNG, TIFF, ...)")
    p.add_argument(
        "-o", "--out-dir", required=True, help="folder for <stem>.masked.png, .mask.png, .boxes.json"
    )
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="any mask.* setting")
    p.set_defaults(func=run_mask)

    e = sub.add_parser(
        "mask-eval", help="how well masking hides label text and spares the plant (ground truth)"
    )
    e.add_argument(
        "--sheets", type=int, default=12, help="synthetic sheets to make (with --run-dir: sheets OCR reads)"
    )
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--width", type=int, default=1000)
    e.add_argument("--height", type=int, default=1500)
    e.add_argument(
        "--run-dir", default=None, help="score a run's masks instead (its sheets must be synthetic)"
    )
    e.add_argument("--json", action="store_true", help="print the numbers as JSON")
    e.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="any mask.* setting")
    e.add_argument("--synth", action="append", default=[], metavar="KEY=VALUE",
                   help="synth.* setting of the sheets made (blur=1.5, fading=0.5, occlusion_share=0.3, ...)")  # fmt: skip
    e.set_defaults(func=run_eval)
