#!/usr/bin/env python
"""A second transcription as a baseline: the iDigBio Augmenting OCR hackathon's ``silver`` parses, scored against
its gold with the same scorer as herbproc, side by side.

The hackathon's repository (idigbio-aocr/label-data) holds, beside ``herb/gold/parsed/<barcode>.csv``, a
``herb/silver/parsed/<barcode>.csv`` for the same 100 New York Botanical Garden sheets: the same Darwin Core
terms parsed by people out of the ABBYY OCR text rather than out of the corrected transcription. It is what a
careful person gets from a commercial engine's text, and where it disagrees with the gold beyond OCR errors it
shows how much the transcription conventions themselves vary (where a locality ends, which collectors are
listed, a verbatim date or a parsed one). The figures are totals only, so a held-out half can be scored
without showing its sheets.

    python bench/aocr_silver.py /data/label-data --aocr-folder /data/aocr70/test
    python bench/aocr.py --set aocr --aocr-folder /data/aocr70/test --json /tmp/test.json
    python bench/aocr_silver.py /data/label-data --aocr-folder /data/aocr70/test --herbproc /tmp/test.json
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from aocr import aocr_truth, collectors, default_fixtures  # noqa: E402

from herbproc.fields.score import TERMS, mean_right_rate, score  # noqa: E402

# the silver files name some terms by their verbatim column only
_COLUMNS = {
    "scientificName": ("dwc:scientificName", "aocr:verbatimScientificName"),
    "recordedBy": ("dwc:recordedBy", "aocr:verbatimRecordedBy"),
    "recordNumber": ("dwc:recordNumber",),
    "eventDate": ("dwc:eventDate", "dwc:verbatimEventDate"),
    "country": ("dwc:country",),
    "stateProvince": ("dwc:stateProvince",),
    "county": ("dwc:county",),
    "locality": ("dwc:verbatimLocality",),
}


def silver_row(path: Path) -> dict[str, str]:
    """The Darwin Core row of one silver parse: its primary region's terms (recordedBy: every collector, as in
    the gold), its barcode region's catalogNumber."""
    with path.open(newline="", encoding="utf-8", errors="replace") as f:
        rows = list(csv.DictReader(f))
    primary = next((r for r in rows if r.get("aocr:regionType") == "primary"), {})
    barcode = next((r for r in rows if r.get("aocr:regionType") == "barcode"), {})
    out = {
        term: next((primary[c].strip() for c in columns if (primary.get(c) or "").strip()), "")
        for term, columns in _COLUMNS.items()
    }
    out["recordedBy"] = collectors(primary) or out["recordedBy"]  # every collector, as the gold's
    out["catalogNumber"] = (barcode.get("dwc:catalogNumber") or "").strip()
    return out


def herbproc_rows(path: Path) -> dict[str, dict[str, str]]:
    """Barcode → predicted row, from a ``bench/aocr.py --json`` file."""
    sets = json.loads(path.read_text("utf-8"))
    return {Path(s["image"]).stem: s["predicted"] for block in sets for s in block["per_sheet"]}


def table(truths: list[dict[str, str]], columns: dict[str, list[dict[str, str]]]) -> str:
    """Per term and column: right strict, right by code (of n) and the mean hespi-style similarity; the mean
    per-term accuracy last."""
    scored = {name: (score(truths, rows), score(truths, rows, by_code=True)) for name, rows in columns.items()}
    head = f"{'term':<15} {'n':>3}" + "".join(f" | {name:<9} strict  code   sim" for name in columns)
    lines = [head, "-" * len(head)]
    for term in TERMS:
        n = next(iter(scored.values()))[0][term].scored
        cells = ""
        for strict, by_code in scored.values():
            sim = strict[term].mean_similarity
            cells += f" | {'':<9} {strict[term].right:>6} {by_code[term].right:>5} {'-' if sim is None else f'{sim:.2f}':>5}"
        lines.append(f"{term:<15} {n:>3}{cells}")
    means = ""
    for strict, by_code in scored.values():
        means += f" | {'':<9} {100 * (mean_right_rate(strict) or 0):>5.1f}% {100 * (mean_right_rate(by_code) or 0):>4.1f}%"
    lines.append(f"{'mean accuracy':<19}{means}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkout", type=Path, help="a checkout of idigbio-aocr/label-data")
    p.add_argument("--aocr-folder", type=Path, help="gold sheets in the aocr_gold layout (default: the fixtures')")
    p.add_argument("--herbproc", type=Path, help="a bench/aocr.py --json output of the same sheets, side by side")
    args = p.parse_args(argv)
    silver = args.checkout / "herb" / "silver" / "parsed"
    if not silver.is_dir():
        p.error(f"no herb/silver/parsed folder in {args.checkout} (a checkout of idigbio-aocr/label-data?)")
    folder = args.aocr_folder or default_fixtures() / "aocr_gold"
    if not (folder / "parsed").is_dir():
        p.error(f"no parsed/ gold folder in {folder}")
    sheets = [(image.stem, truth) for image, truth in aocr_truth(folder)]
    missing = [b for b, _ in sheets if not (silver / f"{b}.csv").is_file()]
    if missing:
        p.error(f"{len(missing)} gold sheet(s) have no silver parse, e.g. {missing[0]}")
    columns = {"silver": [silver_row(silver / f"{b}.csv") for b, _ in sheets]}
    if args.herbproc:
        if not args.herbproc.is_file():
            p.error(f"herbproc JSON not found: {args.herbproc}")
        try:
            predicted = herbproc_rows(args.herbproc)
        except (ValueError, KeyError, TypeError) as e:
            p.error(f"not a bench/aocr.py --json file: {args.herbproc} ({e.__class__.__name__}: {e})")
        absent = [b for b, _ in sheets if b not in predicted]
        if absent:
            p.error(f"{len(absent)} gold sheet(s) are not in {args.herbproc}, e.g. {absent[0]}")
        columns["herbproc"] = [predicted[b] for b, _ in sheets]
    print(f"== {folder}: {len(sheets)} sheets, right per term against the gold")
    print(table([t for _, t in sheets], columns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
