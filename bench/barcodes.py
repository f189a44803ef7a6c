"""Decode rate and CPU time of ``ocr.barcodes.read_barcodes`` per folder of gold sheets, side by side with its
baseline, the whole sheet alone (no barcode-like bands cut out and enlarged).

    .venv/bin/python bench/barcodes.py [--lichens <aocr_other.py out>/dev] [--json out.json]

A sheet counts as decoded when one of its barcodes' texts is the gold catalogNumber once both drop their
institution prefix (letters and separators before the first digit) and leading zeros; a decoded text that is
not the gold and is the one ``catalogue_number`` would pick from the barcodes alone is a wrong pick.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aocr import aocr_truth, default_fixtures  # noqa: E402

from herbproc.ocr import barcodes  # noqa: E402
from herbproc.ocr.barcodes import catalogue_number, read_barcodes  # noqa: E402
from herbproc.store.decode import decode_original  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def key(text: str) -> str:
    """The catalogue number without its institution prefix, separators and leading zeros."""
    text = re.sub(r"^[^0-9]*", "", text.strip())
    return re.sub(r"[^0-9A-Za-z]", "", text).lstrip("0").upper()


def sheets(fixtures: Path, lichens: Path | None) -> dict[str, list[tuple[Path, list[str]]]]:
    """folder name → (image, gold catalogue numbers) per sheet; [] where the gold has none."""
    more = []
    with (REPO / "tests/data/more_sheets_truth.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            gold = [g for g in row["catalogNumber"].split(" | ") if g and g != "UNREADABLE"]
            more.append((fixtures / "more_sheets" / row["file"], gold))
    aocr = [(p, [t["catalogNumber"]] if t["catalogNumber"] else []) for p, t in aocr_truth(fixtures / "aocr_gold")]
    folders = {"more_sheets": more, "aocr_gold": aocr}
    if lichens is not None:
        folders["lichens"] = [(p, [t["catalogNumber"]] if t["catalogNumber"] else []) for p, t in aocr_truth(lichens)]
    return folders


def decode_all(items: list[tuple[Path, list[str]]], bands: int) -> tuple[dict[str, list[str]], int, int, float]:
    """Texts per sheet, sheets decoded to their gold, wrong picks and CPU seconds, ``bands`` bands tried."""
    barcodes.BANDS_TRIED = bands
    out: dict[str, list[str]] = {}
    right = wrong = 0
    spent = 0.0
    for path, gold in items:
        image = decode_original(path.read_bytes(), 200_000_000)
        start = time.process_time()
        found = read_barcodes(image)
        spent += time.process_time() - start
        out[path.name] = found
        keys = {key(g) for g in gold}
        right += bool(keys & {key(b) for b in found})
        pick = catalogue_number(found, [])
        if pick and key(pick) not in keys:
            wrong += 1
            print(f"  wrong pick {path.name}: {pick!r} (gold {gold})")
    return out, right, wrong, spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fixtures", type=Path, default=default_fixtures())
    parser.add_argument("--lichens", type=Path, help="a folder of bench/aocr_other.py (lichens dev half)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", nargs="*", default=[])
    args = parser.parse_args()
    if args.lichens is not None and not (args.lichens / "parsed").is_dir():
        parser.error(f"--lichens {args.lichens}: no parsed/ folder (a folder bench/aocr_other.py wrote?)")
    for sub in ("more_sheets", "aocr_gold"):
        if not (args.fixtures / sub).is_dir():
            parser.error(f"--fixtures {args.fixtures}: no {sub}/ folder")
    out: dict[str, dict[str, list[str]]] = {}
    tried = barcodes.BANDS_TRIED
    for folder, items in sheets(args.fixtures, args.lichens).items():
        if args.only and folder not in args.only:
            continue
        n, gold_n = len(items), sum(bool(g) for _, g in items)
        if not n:
            print(f"{folder}: no sheets")
            continue
        _, base_right, base_wrong, base_spent = decode_all(items, 0)
        out[folder], right, wrong, spent = decode_all(items, tried)
        print(
            f"{folder} ({n} sheets, {gold_n} with a catalogNumber): whole sheet {base_right} decoded, {base_wrong} "
            f"wrong, {base_spent / n:.2f} s CPU/sheet; with bands {right} decoded, {wrong} wrong, "
            f"{spent / n:.2f} s CPU/sheet ({spent / max(base_spent, 1e-9):.2f}x)"
        )
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
