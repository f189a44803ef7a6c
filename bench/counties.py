"""The US county check (``herbproc.fields.counties``) on synthetic sheets read at thumbnail size: what the
extractor read as the county, against the sheet's truth, with the check off and with each pair of thresholds.

    python bench/counties.py --sheets 60 --cache /tmp/counties.json      # reads once, then only the check runs
    python bench/counties.py --cache /tmp/counties.json --snap 0.75 0.8 0.85 --drop 0.5 0.6 0.7

Sheets: the synthetic world at ``--width`` px (real GBIF thumbnails are 500 × 750), a third clean, a third
blurred and downsampled as ``bench/confusions.py`` reads them, a third harsher. Right / wrong / abstained per
sheet whose truth has a county (a county read where the truth has none counts as wrong).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from herbproc.fields import counties  # noqa: E402
from herbproc.fields.score import judge  # noqa: E402

DEGRADATIONS = ({}, {"blur": 0.8, "downsample": 1.5}, {"blur": 1.2, "downsample": 2.0})


def read_sheets(args: argparse.Namespace) -> list[dict]:
    """Per sheet: the OCR lines and the truth's county and state."""
    from herbproc.fields import TaxonIndex
    from herbproc.ocr.reader import LabelReader
    from herbproc.ocr.settings import ocr_settings
    from herbproc.synth import make_world, render_sheet

    rows = []
    per_part = -(-args.sheets // len(DEGRADATIONS))
    for part, degrade in enumerate(DEGRADATIONS):
        synth = {"species": args.species, "sheets_per_species": -(-per_part // args.species),
                 "width": args.width, "height": round(args.width * 1.5), **degrade}  # fmt: skip
        world = make_world(synth, seed=args.seed * 10 + part)
        names = sorted({r["scientificName"] for r in world.records()})
        reader = LabelReader(ocr_settings(), names=TaxonIndex(names), threads=args.threads)
        for i in range(per_part):
            sheet = render_sheet(world, i)
            dwc = sheet.truth["dwc"]
            lines = [line.text for line in reader.read(sheet.image).lines]
            rows.append(
                {"lines": lines, "county": dwc.get("county", ""), "state": dwc.get("stateProvince", "")}
            )
            print(f"part {part} sheet {i}", file=sys.stderr, flush=True)
    return rows


def outcomes(rows: list[dict], check: bool) -> dict[str, int]:
    from herbproc.fields.extract import extract_fields

    tally = {"right": 0, "wrong": 0, "abstained": 0}
    off = mock.patch.object(counties, "check_county", side_effect=lambda name, code: name)
    with off if not check else contextlib.nullcontext():
        for row in rows:
            fields = extract_fields(row["lines"])
            got = fields["county"].value if "county" in fields else ""
            verdict = judge("county", row["county"], got)
            if verdict is not None and (row["county"] or got):
                tally[verdict] += 1
    return tally


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sheets", type=int, default=60)
    p.add_argument("--species", type=int, default=20)
    p.add_argument("--width", type=int, default=500)
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cache", type=Path, help="readings file: written after reading, read instead of reading")
    p.add_argument("--snap", type=float, nargs="+", default=[counties.SNAP_AT])
    p.add_argument("--drop", type=float, nargs="+", default=[counties.DROP_BELOW])
    args = p.parse_args(argv)
    if args.sheets < 1 or args.species < 1 or args.width < 100:
        p.error("--sheets and --species must be >= 1, --width >= 100")
    if args.cache and args.cache.exists():
        try:
            rows = json.loads(args.cache.read_text())
        except (OSError, ValueError) as e:
            p.error(f"--cache {args.cache}: not a readings file ({e})")
    else:
        rows = read_sheets(args)
        if args.cache:
            args.cache.write_text(json.dumps(rows))
    print(f"{len(rows)} synthetic sheets, {sum(bool(r['county']) for r in rows)} with a county on the label")
    print(f"{'check':<28} {'right':>6} {'wrong':>6} {'abstained':>10}")
    off = outcomes(rows, check=False)
    print(f"{'off':<28} {off['right']:>6} {off['wrong']:>6} {off['abstained']:>10}")
    for snap in args.snap:
        for drop in args.drop:
            with (
                mock.patch.object(counties, "SNAP_AT", snap),
                mock.patch.object(counties, "DROP_BELOW", drop),
            ):
                on = outcomes(rows, check=True)
            name = f"snap >= {snap:.2f}, drop < {drop:.2f}"
            print(f"{name:<28} {on['right']:>6} {on['wrong']:>6} {on['abstained']:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
