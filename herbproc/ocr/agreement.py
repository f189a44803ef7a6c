"""The labels as read against the records' own values: on a download whose records are already transcribed, how
often the OCR agrees with them, term by term, and each disagreement for a curator to look at (a misreading, or a
record that says something its label does not: a redetermination, a typing slip).

A record value and a read value, both non-empty, are compared as ``herbproc.fields.score`` compares a gold value
and a reading (folded; dates as ISO 8601; countries and divisions by ISO code; catalogue numbers without their
prefix), except where a record writes the same thing another way:

* ``scientificName``: the canonical name without authorship (``herbproc.ocr.evaluate.same_taxon``), and a species
  agrees with its own variety or subspecies (one says more); a record that names only a genus or a family is not
  compared;
* ``recordedBy``: the first collector's surname (a record's ``Fernald, M. L.`` is a label's ``M. L. Fernald``);
* ``country``: the ISO code, the record's ``countryCode`` where it has one;
* ``recordNumber``: words before the digits (a collector's initials or name, a "No.": ``AB 1234``, ``No. 1234``,
  ``Smith 1234``) are not the number a label prints beside the collector's name;
* ``eventDate``: a time of day after the date is dropped (``1912-06-12T00:00:00``), and dates agree where the days
  they cover overlap: a record's month (``1912-06``), year or interval (``1912-06-12/1912-06-15``) holds a label's
  day, and a day read as a month is no contradiction either;
* ``locality``: alike at ``LOCALITY_SIMILARITY`` (Gestalt ratio): a record's locality is often edited.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from herbproc.fields import parse_name
from herbproc.fields.collectors import people
from herbproc.fields.score import field_similarity, judge
from herbproc.io import atomic_path
from herbproc.ocr.evaluate import same_taxon

TERMS = (
    "scientificName", "recordedBy", "recordNumber", "eventDate", "country", "stateProvince", "county",
    "locality", "catalogNumber",
)  # fmt: skip
LOCALITY_SIMILARITY = 0.8
COLUMNS = ("gbifID", "term", "record", "read", "confidence")
_NUMBER_PREFIX = re.compile(r"^\D+(?=\d)")  # whatever comes before the first digit
_TIME = re.compile(r"T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?")


def agrees(term: str, record: str, read: str, country_code: str = "") -> bool:
    """Whether ``read`` (the OCR's value) says what ``record`` (the record's own) says; both non-empty."""
    if term == "scientificName":
        return same_taxon(record, read) or _one_holds_the_other(record, read)
    if term == "recordedBy":
        ours, theirs = people(read), people(record)
        if ours and theirs:
            return ours[0].surname == theirs[0].surname
    if term == "recordNumber":
        record, read = _NUMBER_PREFIX.sub("", record), _NUMBER_PREFIX.sub("", read)
    if term == "eventDate":
        record, read = _TIME.sub("", record), _TIME.sub("", read)
        spans = _span(record), _span(read)
        if spans[0] is not None and spans[1] is not None:  # they overlap: neither says the other is wrong
            return spans[0][0] <= spans[1][1] and spans[1][0] <= spans[0][1]
    if term == "locality":
        return (field_similarity(term, record, read) or 0.0) >= LOCALITY_SIMILARITY
    countries = (country_code.upper(),) if country_code else ()
    return judge(term, record, read, by_code=True, countries=countries) == "right"


def _one_holds_the_other(record: str, read: str) -> bool:
    """A species and one of its own varieties or subspecies (``Carex crinita`` and ``Carex crinita var.
    brevicrinis``): one says more than the other, neither that it is wrong."""
    a, b = parse_name(record), parse_name(read)
    if a is None or b is None or len(a.canonical.split()) < 2 or len(b.canonical.split()) < 2:
        return False
    species = " ".join(a.canonical.split()[:2]).casefold(), " ".join(b.canonical.split()[:2]).casefold()
    return species[0] == species[1] and not (a.infraspecific_epithet and b.infraspecific_epithet)


_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _span(date: str) -> tuple[str, str] | None:
    """The first and last day an ISO 8601 date or interval covers, as YYYY-MM-DD (``1912-06`` is 1912-06-01 to
    1912-06-31, which compares right); None for anything else. An interval's end may drop what it shares with its
    start (``1912-06-12/15``)."""
    start, _, end = date.strip().partition("/")
    if not _ISO_DATE.fullmatch(start):
        return None
    if end:
        end = start[: max(0, len(start) - len(end))] + end
        if not _ISO_DATE.fullmatch(end):
            return None
    first = start + "-01-01"[len(start) - 4 :]
    last = (end or start) + "-12-31"[len(end or start) - 4 :]
    return first, last


# a download repeats its names, people, dates and places: their comparisons are remembered (not localities' or
# numbers', each its own); bench/agreement.py times it
_REPEATED = frozenset({"scientificName", "recordedBy", "eventDate", "country", "stateProvince", "county"})
_agrees_again = functools.lru_cache(maxsize=1 << 17)(agrees)


@dataclass
class Agreement:
    """The counts per term and the disagreements' CSV, shard by shard (nothing of a shard is kept after it)."""

    writer: Any = None
    compared: dict[str, int] = field(default_factory=dict)
    agreed: dict[str, int] = field(default_factory=dict)

    def add(self, read: pd.DataFrame, records: pd.DataFrame) -> None:
        """``read``: the shard's results (gbifID, the terms, ``<term>_confidence``, countryCode); ``records``: the
        same records' manifest values (gbifID and the terms it has, countryCode)."""
        own = records.assign(gbifID=records["gbifID"].astype(str)).drop_duplicates("gbifID").set_index("gbifID")
        by_id = own.to_dict("index")
        for row in read.to_dict("records"):
            gid = str(row["gbifID"])
            if (mine := by_id.get(gid)) is None:
                continue
            code = _text(mine.get("countryCode")) or _text(row.get("countryCode"))
            for term in TERMS:
                record_value, read_value = _values(term, mine, row)
                if not record_value or not read_value:
                    continue
                self.compared[term] = self.compared.get(term, 0) + 1
                compare = _agrees_again if term in _REPEATED else agrees
                if compare(term, record_value, read_value, code):
                    self.agreed[term] = self.agreed.get(term, 0) + 1
                elif self.writer is not None:
                    confidence = row.get("countryCode_confidence" if term == "country" else f"{term}_confidence")
                    self.writer.writerow([gid, term, record_value, read_value, _confidence(confidence)])

    def summary(self) -> dict[str, dict[str, float]]:
        """Per term compared: records compared, how many agree, and the share."""
        return {
            t: {"compared": n, "agree": self.agreed.get(t, 0), "rate": round(self.agreed.get(t, 0) / n, 4)}
            for t in TERMS
            if (n := self.compared.get(t, 0))
        }


@contextmanager
def disagreements_csv(path: Path) -> Iterator[Agreement]:
    """An ``Agreement`` whose disagreements go to ``path`` (CSV: gbifID, term, record, read, confidence),
    renamed into place when the block succeeds."""
    with atomic_path(path) as tmp, tmp.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        yield Agreement(writer)


def record_columns(have: list[str]) -> list[str]:
    """The manifest's columns the comparison reads: the terms it has, and countryCode."""
    return [c for c in (*TERMS, "countryCode") if c in have]


def _values(term: str, record: Mapping[str, Any], read: Mapping[str, Any]) -> tuple[str, str]:
    """The record's and the read value of ``term``; the record's "" where it says less than a label would (a
    record kept without a name has a genus or a family)."""
    if term == "scientificName":
        parsed = parse_name(_text(record.get(term)))
        if parsed is None or len(parsed.canonical.split()) < 2:
            return "", _text(read.get(term))
    if term == "country" and _text(record.get("countryCode")) and _text(read.get("countryCode")):
        return _text(record.get("countryCode")), _text(read.get("countryCode"))
    return _text(record.get(term)), _text(read.get(term))


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split())


def _confidence(value: object) -> str:
    try:
        return f"{float(value):.4f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
