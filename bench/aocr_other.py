#!/usr/bin/env python
"""The iDigBio Augmenting OCR hackathon's other herbarium gold sheets, as a held-out set for ``bench/aocr.py``.

The hackathon's gold set (public repository idigbio-aocr/label-data, ``herb/gold/inputs/<barcode>.jpg`` and
``herb/gold/parsed/<barcode>.csv``) has 100 New York Botanical Garden sheets; 30 of them are the fixtures'
``aocr_gold``. This copies the other ones out of a checkout of that repository into the ``aocr_gold`` layout
(``images/``, ``parsed/``) and splits them in two halves by sorted barcode (every other sheet): ``dev`` (look at
its failures) and ``test`` (held out: score it, never read it), and the test half again in two, ``test_a`` and
``test_b``, for when the dev half is spent: learn from ``test_a``, hold ``test_b`` out. Each folder gets the same ``names.txt``: every
gold name of the sheets copied plus their near-miss congeners (``bench/aocr.py``'s ``near_misses``).

    git clone https://github.com/idigbio-aocr/label-data /data/label-data
    python bench/aocr_other.py /data/label-data /data/aocr70
    python bench/aocr.py --set aocr --aocr-folder /data/aocr70/dev

``--collection lichens`` takes the same hackathon's 200 lichen packet labels instead (``lichens/gold``: NYBG
lichen packets, 1630 x 1125 and the like, one gold row per packet with its barcode), none of them in the
fixtures: a set of printed labels from all over North America that no rule was chosen on.

    python bench/aocr_other.py /data/label-data /data/lichens --collection lichens
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from aocr import aocr_truth, default_fixtures, gold_candidates  # noqa: E402


def other_sheets(checkout: Path, fixtures_gold: Path, collection: str = "herb") -> list[str]:
    """Barcodes of the checkout's gold sheets with an image and a transcription that the fixtures do not hold."""
    gold = checkout / collection / "gold"
    have = {p.stem for p in (fixtures_gold / "parsed").glob("*.csv")}
    parsed = {p.stem for p in (gold / "parsed").glob("*.csv")}
    return sorted(b for b in parsed - have if (gold / "inputs" / f"{b}.jpg").is_file())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkout", type=Path, help="a checkout of idigbio-aocr/label-data")
    p.add_argument("out", type=Path, help="where the sheets go: <out>/all, <out>/dev, <out>/test")
    p.add_argument("--fixtures", type=Path, default=default_fixtures(), help="the shared fixtures folder")
    p.add_argument("--collection", choices=("herb", "lichens"), default="herb", help="the hackathon's gold set")
    args = p.parse_args(argv)
    gold = args.checkout / args.collection / "gold"
    if not (gold / "parsed").is_dir():
        p.error(f"no {args.collection}/gold/parsed folder in {args.checkout} (a checkout of idigbio-aocr/label-data?)")
    barcodes = other_sheets(args.checkout, args.fixtures / "aocr_gold", args.collection)
    if not barcodes:
        p.error(f"no gold sheet in {args.checkout} that the fixtures' aocr_gold does not already hold")
    # the test half split again (every other test sheet): once the dev half has taught all it can, test_a becomes
    # the next sheets to learn from while test_b stays held out
    halves = {"all": barcodes, "dev": barcodes[0::2], "test": barcodes[1::2], "test_a": barcodes[1::4],
              "test_b": barcodes[3::4]}  # fmt: skip
    for half, chosen in halves.items():
        for sub in ("images", "parsed"):
            (args.out / half / sub).mkdir(parents=True, exist_ok=True)
        for b in chosen:
            shutil.copyfile(gold / "inputs" / f"{b}.jpg", args.out / half / "images" / f"{b}.jpg")
            shutil.copyfile(gold / "parsed" / f"{b}.csv", args.out / half / "parsed" / f"{b}.csv")
    (args.out / "all" / "names.txt").unlink(missing_ok=True)  # an earlier run's list: made again from the gold
    listed = "\n".join(gold_candidates(args.out / "all", aocr_truth(args.out / "all"))) + "\n"
    for half in halves:
        (args.out / half / "names.txt").write_text(listed, encoding="utf-8")
    print(f"{len(barcodes)} sheets ({len(halves['dev'])} dev, {len(halves['test'])} test), "
          f"{len(listed.splitlines())} candidate names -> {args.out}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
