"""Which of a label's dates is not the collection's: a gift or presentation stamp's month or year, a received or
date stamp's date, a two-digit year on a label of the 1800s."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from herbproc.fields.dates import DateMatch
from herbproc.fields.label import Label

# "Gift of …", "A gift to the Herbarium …", "Presented to the … Society by …", "Donated by …", "Ex dono …",
# "Comm. F. Smith" (communicavit: sent by)
_GIFT = re.compile(
    r"(?i:\b(?:gift|presented|donated|donation|ex\s+dono)\b)|\b(?:[Cc]omm|COMM)\.\s*(?:by\s+)?(?=[A-Z])"
)
# A date stamp's impression: the month's three capitals, the day with its zero, the year ("MAY 04 1926",
# "AUG 041986"); a receiving or accession stamp's cue ("RECEIVED", "Rec'd", "Accessioned").
_DATE_STAMP = re.compile(r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\s?0\d\s?\d{4}")
_RECEIVED = re.compile(r"(?i:\b(?:received|rec['’]?d|accessioned|accession\s+date)\b)")
_STAMP_LINES = 3  # a stamp's lines after its cue ("PRESENTED TO THE" / "… SOCIETY" / "BY MRS. …, JUNE 1925")


def gift_stamp_lines(label: Label, labels: Sequence[int] | None = None) -> set[int]:
    """Lines of gift and presentation stamps: a line with a gift cue and up to three lines after it (on its card
    when ``labels`` are known). Their month or year is when the specimen was given, not collected."""
    cards = labels if labels is not None and len(labels) == len(label.text) else None
    out: set[int] = set()
    for i, line in label.lines():
        if not _GIFT.search(line):
            continue
        out.add(i)
        for k in range(i + 1, min(i + 1 + _STAMP_LINES, len(label.text))):
            if cards is not None and cards[k] != cards[i]:
                break
            out.add(k)
    return out


def not_collection_dates(
    label: Label, found: Mapping[int, list[DateMatch]], labels: Sequence[int] | None = None
) -> set[tuple[int, int]]:
    """(line, start) of the dates that are not the collection's: a month or a year on a gift stamp (a date to the
    day is kept: stamps rarely give one, collection dates do), a date stamp's or a received stamp's date, and a two-digit year (read as 19yy) on a label
    that writes a year before 1900 elsewhere (then its century is not known)."""
    stamp = gift_stamp_lines(label, labels)
    out = {(i, d.start) for i in stamp for d in found.get(i, []) if d.precision in ("month", "year", "years")}
    for i, ds in found.items():
        line = label.text[i]
        out |= {
            (i, d.start)
            for d in ds
            if _DATE_STAMP.fullmatch(line[d.start : d.end].strip()) or _RECEIVED.search(line[: d.start])
        }
    old = any(
        not d.two_digit_year and d.iso[:4] < "1900" and (i, d.start) not in out
        for i, ds in found.items()
        for d in ds
    )
    if old:
        out |= {(i, d.start) for i, ds in found.items() for d in ds if d.two_digit_year}
    return out
