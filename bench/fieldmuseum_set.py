#!/usr/bin/env python
"""A Field Museum held-out set for ``bench/aocr.py``: real sheets from a herbarium no rule was chosen on.

The Field Museum's transcription project (public repository rherbst123/FieldMuseumTranscription, MIT licence)
keeps its ground truths in ``DataAnalysis/GroundTruths/*.csv``: one row per sheet, typed by the museum's staff
(``modifiedBy`` / ``verifiedBy``) in its database's terms (``verbatimCollectors``, ``recordNumber``,
``minimumEventDate``, ``country``, ``firstPoliticalUnit``, ``locality``, ...), with the image's URL only. The same
author's rherbst123/RileyHerbstProject (no licence file: the images belong to their herbaria) stores some of
those sheets' images (``DEMO/Images``, ``SegmentExamples/PreSegmentedImages``: ``<index>_<catalogNumber>.jpg``):
about twenty sheets with both, African plants, bryophyte packets, ferns and two Meise/Berlin sheets, typed and
handwritten, 1000 x 1750 to 6000 x 10000.

This writes the sheets with both into the ``aocr_gold`` layout (``images/``, ``parsed/``, ``names.txt``), the
transcription mapped to the gold's Darwin Core columns:

* the name on the label (``verbatimIdentification``) is the primary region's; the current one
  (``latestScientificName``, on a determination slip) a determination region's: either counts;
* ``verbatimCollectors`` is ``dwc:recordedBy``; a ``recordNumber`` of ``s.n.`` is no number;
* ``minimumEventDate`` / ``maximumEventDate`` are an ISO 8601 date or interval (``1923-00-00`` is ``1923``);
* ``firstPoliticalUnit`` / ``secondPoliticalUnit`` are ``stateProvince`` / ``county``; ``locality`` (the museum's
  own, without the higher places) is ``dwc:verbatimLocality``; ``N/A`` and ``[precise locality unknown]`` are
  empty.

The museum's values are its database's, not always the label's words (a country the label does not print is
still given), so compare by code (``bench/aocr.py`` prints both scorings).

    git clone https://github.com/rherbst123/FieldMuseumTranscription /data/fmt
    git clone https://github.com/rherbst123/RileyHerbstProject /data/rhp
    python bench/fieldmuseum_set.py /data/fmt /data/rhp /data/fieldmuseum
    python bench/aocr.py --set aocr --aocr-folder /data/fieldmuseum
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from aocr import aocr_truth, gold_candidates  # noqa: E402

IMAGE_FOLDERS = ("DEMO/Images", "SegmentExamples/PreSegmentedImages")
_INDEXED = re.compile(r"^\d{4}_(?P<catalog>[^_]+)")  # 0003_V0576279F.jpg, 0005_C0045536F_1586622756_web.jpg
_EMPTY = {"", "n/a", "na", "none", "[precise locality unknown]", "s.n.", "s. n.", "sn"}
FIELDS = (
    "aocr:regionType", "dwc:scientificName", "dwc:recordedBy", "dwc:recordNumber", "dwc:eventDate",
    "dwc:country", "dwc:stateProvince", "dwc:county", "dwc:verbatimLocality", "dwc:catalogNumber",
)  # fmt: skip


def value(row: dict[str, str], column: str) -> str:
    text = " ".join((row.get(column) or "").split())
    return "" if text.casefold() in _EMPTY else text


def iso_date(start: str, end: str) -> str:
    """``1910-01-10`` / ``1910-02-02`` → ``1910-01-10/1910-02-02``; ``1923-00-00`` → ``1923``; "" when unknown."""

    def cut(d: str) -> str:
        d = re.sub(r"(?:-00)+$", "", d.strip())
        return d if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", d) else ""

    first, last = cut(start), cut(end)
    return f"{first}/{last}" if first and last and last != first else first


def images(checkout: Path) -> dict[str, Path]:
    """catalogNumber → image in the images checkout (``B%2010%200385068`` is ``B 10 0385068``)."""
    found: dict[str, Path] = {}
    for folder in IMAGE_FOLDERS:
        for path in sorted((checkout / folder).glob("*.jpg")):
            if (m := _INDEXED.match(path.stem)) and path.stat().st_size > 0:
                found.setdefault(urllib.parse.unquote(m["catalog"]), path)
    return found


def transcriptions(checkout: Path) -> dict[str, dict[str, str]]:
    """catalogNumber → its ground-truth row; a sheet in several files takes the first (sorted) that holds it."""
    rows: dict[str, dict[str, str]] = {}
    for path in sorted((checkout / "DataAnalysis" / "GroundTruths").glob("*.csv")):
        with path.open(newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                if catalog := value(row, "catalogNumber"):
                    rows.setdefault(catalog, row)
    return rows


def gold_rows(row: dict[str, str]) -> list[dict[str, str]]:
    """The sheet's rows in the gold's layout: primary, determination (where the current name differs), barcode."""
    label_name, current = value(row, "verbatimIdentification"), value(row, "latestScientificName")
    primary = {
        "aocr:regionType": "primary",
        "dwc:scientificName": label_name or current,
        "dwc:recordedBy": value(row, "verbatimCollectors"),
        "dwc:recordNumber": value(row, "recordNumber"),
        "dwc:eventDate": iso_date(row.get("minimumEventDate", ""), row.get("maximumEventDate", "")),
        "dwc:country": value(row, "country"),
        "dwc:stateProvince": value(row, "firstPoliticalUnit"),
        "dwc:county": value(row, "secondPoliticalUnit"),
        "dwc:verbatimLocality": value(row, "locality"),
    }
    out = [primary]
    if current and current != primary["dwc:scientificName"]:
        out.append({"aocr:regionType": "determination", "dwc:scientificName": current})
    out.append({"aocr:regionType": "barcode", "dwc:catalogNumber": value(row, "catalogNumber")})
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("transcriptions", type=Path, help="a checkout of rherbst123/FieldMuseumTranscription")
    p.add_argument("images", type=Path, help="a checkout of rherbst123/RileyHerbstProject")
    p.add_argument("out", type=Path, help="where the sheets go (images/, parsed/, names.txt)")
    args = p.parse_args(argv)
    if not (args.transcriptions / "DataAnalysis" / "GroundTruths").is_dir():
        p.error(f"no DataAnalysis/GroundTruths folder in {args.transcriptions} (rherbst123/FieldMuseumTranscription?)")
    found, truth = images(args.images), transcriptions(args.transcriptions)
    both = sorted(set(found) & set(truth))
    if not both:
        p.error(f"no image in {args.images}/{{{','.join(IMAGE_FOLDERS)}}} has a transcription")
    for sub in ("images", "parsed"):
        (args.out / sub).mkdir(parents=True, exist_ok=True)
    for catalog in both:
        stem = catalog.replace(" ", "_")
        shutil.copyfile(found[catalog], args.out / "images" / f"{stem}.jpg")
        with (args.out / "parsed" / f"{stem}.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(gold_rows(truth[catalog]))
    (args.out / "names.txt").unlink(missing_ok=True)  # an earlier run's list: made again from the gold
    listed = gold_candidates(args.out, aocr_truth(args.out))
    (args.out / "names.txt").write_text("\n".join(listed) + "\n", encoding="utf-8")
    print(f"{len(both)} sheets, {len(listed)} candidate names -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
