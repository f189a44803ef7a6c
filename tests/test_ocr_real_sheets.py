"""Real herbarium sheets (Harvard University Herbaria via GBIF, 500 x 750 px, ../shared/fixtures/real_sheets): the
label's binomial is recovered on at least 90% of them, the candidate names being all of theirs.

Plain PP-OCR on the whole sheet with naive fuzzy matching gets about half (docs/ocr.md); the text here is 4-9
pixels tall."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
from conftest import shared_fixture

from herbproc.fields import TaxonIndex, parse_name
from herbproc.ocr.reader import LabelReader
from herbproc.ocr.settings import ocr_settings


def sheets() -> list[tuple[Path, str]]:
    folder = shared_fixture("real_sheets")
    found = [(p, re.sub(r"\d+$", "", p.stem)) for p in sorted(folder.glob("*.jpeg"))]
    assert found, f"no <scientific name><index>.jpeg sheets in {folder}"
    return found


def binomial(name: str) -> str:
    parsed = parse_name(name)
    return parsed.binomial if parsed else ""


def test_binomial_recovered_on_real_sheets():
    found = sheets()
    names = TaxonIndex([name for _, name in found])
    reader = LabelReader(ocr_settings(), names=names, threads=2)
    rows = []
    for path, name in found:
        rgb = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
        got = reader.read(rgb).darwin_core()["scientificName"]
        rows.append((path.name, name, got, binomial(got) == binomial(name)))
    share = sum(r[3] for r in rows) / len(rows)
    table = "\n".join(f"{'ok ' if ok else 'BAD'} {file}: {got!r}" for file, _, got, ok in rows)
    assert share >= 0.9, f"binomial right on {share:.0%} of {len(rows)} sheets:\n{table}"
