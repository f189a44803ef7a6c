"""``herbproc ocr IMAGE...``: read the labels of a few sheets into Darwin Core fields, no scheduler or run dir.

herbproc ocr sheet.jpg                                  # the fields found, one block per image
herbproc ocr *.jpg --names taxa.txt --json              # one JSON object per image per line
herbproc ocr *.jpg --collectors collectors.txt          # collectors read against the herbarium's list
herbproc ocr sheet.jpg --engine trocr --set trocr.printed=/models/trocr-base-printed
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from herbproc.commandline import nested
from herbproc.fields import DWC_TERMS


def run(args: argparse.Namespace) -> int:
    from herbproc.fields import TaxonIndex
    from herbproc.ocr.engines import EngineError
    from herbproc.ocr.reader import LabelReader
    from herbproc.ocr.settings import ocr_settings
    from herbproc.shard import ItemError
    from herbproc.store.decode import decode_original

    paths = [Path(p) for p in args.images]
    for p in paths:  # every input is checked before anything is read
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file")
        if not p.is_file():
            raise ValueError(f"{p} is not a file")
    overrides = nested(args.set, strip="ocr", example="crop_pads=[0.0]")
    if args.engine:
        overrides["engine"] = args.engine
    if args.collectors:
        overrides["collectors_file"] = args.collectors
    settings = ocr_settings(overrides)
    names = TaxonIndex(Path(args.names)) if args.names else None
    try:
        reader = LabelReader(settings, names=names, threads=args.threads)
    except EngineError as e:
        raise ValueError(str(e)) from None
    failed = 0
    for given, path in zip(args.images, paths, strict=True):
        try:
            image = decode_original(path.read_bytes(), int(settings.max_pixels), setting="ocr.max_pixels")
        except ItemError as e:
            print(f"herbproc ocr: error: {given}: {e}", file=sys.stderr)
            failed += 1
            continue
        result = reader.read(image)
        row = result.darwin_core(settings.min_confidence)
        if args.json:
            record = {"image": given, **row, "confidence": result.confidences(), "lines": result.texts}
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(
                format_block(given, row, result.confidences(), len(result.labels), len(result.lines)),
                flush=True,
            )
    return 2 if failed else 0


def format_block(
    image: str, row: dict[str, str], confidence: dict[str, float], labels: int, lines: int
) -> str:
    out = [f"== {image}  ({labels} label(s), {lines} line(s))"]
    shown = [t for t in DWC_TERMS if row.get(t)]
    out += [f"  {t}: {row[t]}  ({confidence.get(t, 0.0):.2f})" for t in shown]
    if not shown:
        out.append("  (no fields found)")
    return "\n".join(out)


def add_parser(sub: argparse._SubParsersAction) -> None:
    from herbproc.ocr.engines import ENGINES

    p = sub.add_parser("ocr", help="read the labels of sheet images into Darwin Core fields")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="sheet images (JPEG, PNG, TIFF ...)")
    p.add_argument("--names", metavar="NAMES.txt", help="taxonomy: one scientific name per line")
    p.add_argument(
        "--collectors", metavar="COLLECTORS.txt", help="the herbarium's collectors: one person per line"
    )
    p.add_argument("--engine", choices=ENGINES, help="recognition engine (default: ppocr)")
    p.add_argument("--json", action="store_true", help="one JSON object per image per line")
    p.add_argument("--threads", type=int, default=1, help="onnxruntime threads")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="any ocr.* setting")
    p.set_defaults(func=run)
