"""Collectors, collector numbers and determiners (herbproc.fields.people)."""

from __future__ import annotations

import pytest

from herbproc.fields.people import find_collectors, find_determiners, find_record_number


@pytest.mark.parametrize(
    ("line", "names", "cued", "number"),
    [
        ("Coll. J. Smith", ["J. Smith"], True, None),
        ("leg. M. L. Fernald", ["M. L. Fernald"], True, None),
        ("Leg.: Fernald", ["Fernald"], True, None),
        ("Collected by Alice Eastwood, No. 1234", ["Alice Eastwood"], True, "1234"),
        ("Collector: E. F. Williams  No. 567   Aug 3 1899", ["E. F. Williams"], True, "567"),
        ("J. R. Churchill s.n.", ["J. R. Churchill"], False, "s.n."),
        ("M. L. Fernald 1234", ["M. L. Fernald"], False, "1234"),
        ("M. L. Fernald #1234a", ["M. L. Fernald"], False, "1234a"),
        ("E. P. Killip & A. C. Smith 12301", ["E. P. Killip", "A. C. Smith"], False, "12301"),
        ("Laport #BHPSP5, collected by R. Laport, D. Smith, J. Ng", ["R. Laport", "D. Smith", "J. Ng"], True,
         "BHPSP5"),
        ("Douglas McGrady and Charles Boos July 30 2019", ["Douglas McGrady", "Charles Boos"], False, None),
        ("Coll.: FERNALD, M. L.", ["M. L. Fernald"], True, None),
        ("Coll. M. L. FERNALD 1234", ["M. L. Fernald"], True, "1234"),
        ("Coll. A. Chase 45, Aug 3 1899", ["A. Chase"], True, "45"),
    ],
)  # fmt: skip
def test_collectors_and_numbers(line: str, names: list[str], cued: bool, number: str | None) -> None:
    found = find_collectors(line)
    assert found is not None, line
    assert found.names == names
    assert found.cued is cued
    date_spans = [(line.find("Aug 3 1899"), line.find("Aug 3 1899") + 10)] if "Aug 3" in line else []
    assert find_record_number(line, after=found.end, skip=date_spans) == number


@pytest.mark.parametrize(
    "line",
    [
        "Gray Herbarium of Harvard University",
        "New London",
        "Carex crinita Lam.",
        "Castanea dentata (Marsh.) Borkh.",
        "Big Hill Pond State Park",
        "Det. A. A. Reznicek 1985",  # a determiner, not a collector
        "",
    ],
)
def test_not_collectors(line: str) -> None:
    assert find_collectors(line) is None


def test_catalogue_numbers_are_not_collector_numbers() -> None:
    assert find_record_number("Catalog No. 12345") is None
    assert find_record_number("Route No. 9, J. Smith") is None


def test_determiners() -> None:
    assert find_determiners("Det. A. A. Reznicek 1985").names == ["A. A. Reznicek"]
    assert find_determiners("Determined by M. L. Fernald").names == ["M. L. Fernald"]
    assert find_determiners("Coll. J. Smith") is None
