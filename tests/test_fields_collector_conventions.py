"""Collectors and their numbers written the ways labels write them (made-up labels, not copied from any sheet)."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields


def _fields(lines: list[str]) -> dict[str, str]:
    return {term: f.value for term, f in extract_fields(lines).items()}


@pytest.mark.parametrize("collector", ["T. Q. Howard", "M. Leonard", "P. Acosta", "K. Hubbard", "R. Delorme"])
def test_a_cued_number_after_a_name_ending_like_a_road_word(collector: str) -> None:
    # "rd", "sta", "lot", "reg" at the end of a surname are no "Rd." / "Sta." before the number
    got = _fields([f"{collector} No. 40317", "Dry hills near Carrow"])
    assert got["recordedBy"] == collector
    assert got["recordNumber"] == "40317"


@pytest.mark.parametrize("before", ["Old Mill Rd. No. 4", "Sta. No. 12", "Herb. No. 5521", "Lot No. 7"])
def test_a_road_station_or_herbarium_number_is_no_collector_number(before: str) -> None:
    assert "recordNumber" not in _fields(["Coll. J. Q. Marple", before])
