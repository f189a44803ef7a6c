"""A date line read less precisely than it is written, read again (``ocr.reread_dates``).

On a thumbnail a date's month is a few pixels of text and the first reading often garbles it (``Fecha hug- 23,1950``,
``Pab.13, 1970``) while the year still reads: the line gives a year where the label gives a day. Read again at
other scales and by the other engine (``ocr.reread_scales``, ``ocr.reread_engines``), one of the readings often
gets the month (``Aug- 23, 1950``, ``Fed.13, 1970``). A re-reading's date is taken only where it says more than the
first (a month or a day where there was a year, a day where there was a month) about the same year, and every
re-reading that says more says the same; the first reading's year is never changed (re-readings of a thumbnail's
digits disagree among themselves as often as they agree). Only the date's stretch of the line is taken from the
re-reading: the rest of the line (a collector's name on the same line) keeps the first reading.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from herbproc.fields import dates

_RANK = {"year": 0, "month": 1, "day": 2, "range": 2}
_YEAR = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)")
_LETTERS = re.compile(r"[^\W\d_]{2,}")


def _best(found: Sequence[dates.DateMatch]) -> dates.DateMatch | None:
    ranked = [d for d in found if d.precision in _RANK and d.iso]
    return max(ranked, key=lambda d: _RANK[d.precision], default=None)


def unsure_date(text: str) -> bool:
    """``text`` holds a four-digit year that it gives no day of, and a word beside it that could be a misread
    month: a line worth reading again for its date. A year alone on its line is not (nothing more to read)."""
    if not _YEAR.search(text) or not _LETTERS.search(_YEAR.sub(" ", text)):
        return False
    best = _best(dates.find_dates(text))
    return best is None or _RANK[best.precision] < 2


def _year(d: dates.DateMatch) -> str:
    return d.iso[:4]


def _place(matcher: difflib.SequenceMatcher, pos: int, end: bool) -> int:
    """Where position ``pos`` of the second text falls in the first (a replaced stretch maps to its start, or its
    end for the end of a span)."""
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if j1 <= pos < j2 or (end and j1 < pos == j2):
            return i1 + (pos - j1) if tag == "equal" else (i2 if end else i1)
        if pos == j1 == j2 and tag == "delete":
            return i2 if end else i1
    return len(matcher.a)


def more_precise(text: str, rereadings: Sequence[str]) -> str | None:
    """``text`` with its date's stretch taken from the re-readings that read the same year more precisely, when
    they all read the same date; None when none does, or they disagree."""
    first = _best(dates.find_dates(text))
    years = {m.group() for m in _YEAR.finditer(text)}
    if len(years) != 1 or (first is not None and ("/" in first.iso or _year(first) not in years)):
        return None  # two years on the line ("1931 to 1935"): which one is unsure is not known
    rank = _RANK[first.precision] if first is not None else -1
    found: list[tuple[str, dates.DateMatch]] = []
    for reading in rereadings:
        better = _best([d for d in dates.find_dates(reading) if _year(d) in years])
        if better is not None and _RANK[better.precision] > rank:
            found.append((reading, better))
    if not found or len({d.iso for _, d in found}) != 1:
        return None
    reading, d = found[0]
    matcher = difflib.SequenceMatcher(None, text, reading, autojunk=False)
    start, end = _place(matcher, d.start, end=False), _place(matcher, d.end, end=True)
    if not start < end:
        return None
    new = text[:start] + reading[d.start : d.end] + text[end:]
    mended = _best(dates.find_dates(new))
    return new if mended is not None and mended.iso == d.iso else None
