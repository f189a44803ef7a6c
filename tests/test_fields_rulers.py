"""A ruler's scale read as lines of numbers beside the label (``herbproc.fields.rulers``): its marks are no
collector number; without a scale on the sheet a bare number keeps its meaning (made-up lines)."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.rulers import ruler_marks

SCALE = ["3", "5", "10 11 12 13", "14 15 16 17 18 19 20", "2122.", "23"]


def test_a_scale_and_its_marks_are_found() -> None:
    lines = ["PLANTS OF ELMTON", *SCALE, "2425", "28", "4412", "Coll. A. Bell", "May 3, 1911"]
    assert [lines[i] for i in sorted(ruler_marks(lines))] == [*SCALE, "2425", "28"]


@pytest.mark.parametrize(
    "lines",
    [["PLANTS OF ELMTON", "2425", "28"], ["12 14 16", "2425"], ["1911 1912 1913", "2425"], ["", "  "]],
)
def test_no_scale_no_marks(lines: list[str]) -> None:
    """Numbers alone make no ruler: a run of three consecutive numbers under 100 must be on the sheet."""
    assert ruler_marks(lines) == set()


def test_a_ruler_mark_under_the_collector_is_no_collector_number() -> None:
    lines = ["PLANTS OF ELMTON", "Roadside near Rosaville", "COLL. J. Bell", "DATE 25 July 82", "2425", "2627"]
    cards = [0, 0, 1, 1, 1, 1]
    assert extract_fields(lines, labels=cards).get("recordNumber").value == "2425", "no scale: a number"
    got = extract_fields([*lines, "14 15 16 17 18 19 20"], labels=[*cards, 2])
    assert "recordNumber" not in got


def test_a_number_past_the_scale_stays() -> None:
    lines = ["PLANTS OF ELMTON", "Roadside near Rosaville", "COLL. J. Bell 4412", "14 15 16 17 18 19 20"]
    assert extract_fields(lines).get("recordNumber").value == "4412"
