"""Which of a label's dates is not the collection's: a two-digit year on a label of the 1800s."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from herbproc.fields.dates import DateMatch
from herbproc.fields.label import Label


def not_collection_dates(
    label: Label, found: Mapping[int, list[DateMatch]], labels: Sequence[int] | None = None
) -> set[tuple[int, int]]:
    """(line, start) of the dates that are not the collection's: a two-digit year (read as 19yy) on a label that
    writes a year before 1900 elsewhere (then its century is not known)."""
    out: set[tuple[int, int]] = set()
    old = any(not d.two_digit_year and d.iso[:4] < "1900" for ds in found.values() for d in ds)
    if old:
        out |= {(i, d.start) for i, ds in found.items() for d in ds if d.two_digit_year}
    return out
