"""A herbarium's home is never the collecting place: a state after an abbreviated institution word, or after the
tail of "University" left by a stamp cut at the image's edge."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields, to_darwin_core


@pytest.mark.parametrize(
    ("lines", "state"),
    [
        (["Ex Herb. Univ. Michigan, 1961", "Coll. J. Smith 22, 4 June 1932"], ""),
        (["ITY OF CONNECTICUT", "Middlesex County, Mass.", "Coll. J. Smith 22"], "Massachusetts"),
        (["ITY OF CONNECTICUT", "Coll. J. Smith 22"], ""),
        (["Plants of Michigan", "Ann Arbor, Univ. grounds"], "Michigan"),  # the header still names the state
        (["CITY OF NEW YORK", "J. Smith"], "New York"),  # a city is a place, not an institution's tail at a cut
    ],
)
def test_an_institutions_state_is_no_collecting_place(lines: list[str], state: str) -> None:
    assert to_darwin_core(extract_fields(lines))["stateProvince"] == state


def test_a_state_repeated_under_the_herbarium_s_name_is_the_label_s_state() -> None:
    lines = ["Herbarium of the University of Vermont", "VERMONT", "Orleans County", "Coll. J. Smith 22"]
    assert to_darwin_core(extract_fields(lines))["stateProvince"] == "Vermont"


def test_a_collection_title_under_a_herbarium_name_ending_in_its_town_is_no_part_of_the_name() -> None:
    fields = extract_fields(["HERBARIUM OF THE UNIVERSITY OF ELMTON", "LICHENS OF MINNESOTA", "Rosa Lake near Elmton",
                             "A. Bell 8"])  # fmt: skip
    assert fields["stateProvince"].value == "Minnesota"
    assert fields["institutionName"].value == "Herbarium of the University of Elmton"
