"""A line read as a long run of letters or marks with no break (hatching, a ruler, a stamp's border read as text)
is no obstacle: the label's other lines give their fields. Patterns that tried such a run split every way once
took minutes on one line (the place before a colon, a record number's words), which a shard would not survive
in its time limit."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.ocr.leaders import typed_on_leader

NOISE = ["X" * 600, "Ab" * 300, "A. " * 200, "J.W." * 150, "de la " * 100, "1 " * 300, "aA" * 300]


@pytest.mark.parametrize("noise", NOISE, ids=lambda s: repr(s[:6]))
def test_a_long_run_without_a_break_leaves_the_other_lines_read(noise: str) -> None:
    got = {k: f.value for k, f in extract_fields(["PLANTS OF MAINE", noise, "A. Bell 12"]).items()}
    assert (got["stateProvince"], got["recordedBy"], got["recordNumber"]) == ("Maine", "A. Bell", "12"), got
    assert "locality" not in got and "county" not in got, got


def test_a_long_row_of_dots_is_no_leader_with_words_typed_on_it() -> None:
    assert not typed_on_leader(". . " * 500)
    assert typed_on_leader(". . " * 500 + "Elm Pond") and typed_on_leader("Loc... Elm Pond")

