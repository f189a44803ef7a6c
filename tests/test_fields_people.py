"""Collectors, collector numbers and determiners (herbproc.fields.people)."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.people import (
    collector_caption,
    find_collectors,
    find_determiners,
    find_people_line,
    find_record_number,
)


@pytest.mark.parametrize(
    ("line", "names", "cued", "number"),
    [
        ("Coll. J. Smith", ["J. Smith"], True, None),
        ("Bartholomew Schwarzenberger 1234", ["Bartholomew Schwarzenberger"], False, "1234"),  # long, not glued
        ("E. C. ELMTON, Coleetor", ["E. C. Elmton"], True, None),  # "Collector" misread after the name
        ("A. Bell, Collcctor 1234", ["A. Bell"], True, "1234"),
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
        # initials before "&" share the surname after it: kept as written
        ("Coll. R. A. & E.S. Howard8726", ["R. A. & E.S. Howard"], True, "8726"),
        ("Leg. H. H. & G. W. SMITH.", ["H. H. & G. W. Smith"], True, None),
        ("M. L. Fernald & J. R. Churchill 9288", ["M. L. Fernald", "J. R. Churchill"], False, "9288"),
        ("N. L. BRITTON, COLLECTOR", ["N. L. Britton"], True, None),  # the cue after the names
        ("Collectora) Mary H. Dennis", ["Mary H. Dennis"], True, None),  # "Collector(s)" with "(" lost
        ("Elbert L. Little, Jr. 26168", ["Elbert L. Little, Jr."], False, "26168"),
        ("Bell, Dunn & Hess, No. 1234", ["Bell", "Dunn", "Hess"], False, "1234"),  # surnames, the number cued
        ("Bell & Dunn, 1234", ["Bell", "Dunn"], False, "1234"),  # surnames, a comma before the number
        ("Bell et al. 1234", ["Bell et al."], False, "1234"),  # a surname and "et al."
        ("Bell & Dunn (1234)", ["Bell", "Dunn"], False, "1234"),  # surnames, the number in brackets
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
        "Anthurium acantedet. H.T. Beek 93",  # "det." glued to the word before: still a determiner
        "Anthurium 2acantedet, H.F. Beek 93",  # the same with its dot read as a comma (OCR)
        "ST. THOMAS",  # no "T. Thomas" from the middle of a word
        "Floca Project",  # an organisation's words
        "Survey Team",
        "Kew, No. 1234",  # one word and a cued number: a herbarium's as well as a collector's
        "Elmton, 1234",  # one word, a comma and a number: a place and its altitude as well
        "Elmton (1234)",  # one word and a number in brackets: a place and its altitude as well
        "Cetrarialaevigata Rass.",  # a taxon's words glued by the reader: no first name is that long
        "Cladoniarangiferina Wigg. 1234",
        "Plantæ Cubenses",  # a Latin collection header, its "ae" printed as a ligature
        "PLANTAE MEXICANAE",
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


def test_a_det_cue_glued_to_the_word_before() -> None:
    assert find_determiners("Anthurium acantedet. H.T. Beek 93").names == ["H.T. Beek"]
    assert find_determiners("Anthurium 2acantedet, H.F. Beek 93").names == ["H.F. Beek"]  # dot read as comma


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("N. L. BRITTON", ["N. L. Britton"]),
        ("J. F.COWELL", ["J. F. Cowell"]),
        ("STEWARDSON BROWN", ["Stewardson Brown"]),
        ("GEORGE V. NASH", ["George V. Nash"]),
        ("Elbert L. Little, Jr.,and", ["Elbert L. Little, Jr."]),
        ("R. A. & E. S. Howard", ["R. A. & E. S. Howard"]),
    ],
)
def test_lines_of_names(line: str, names: list[str]) -> None:
    found = find_people_line(line)
    assert found is not None and found.names == names


@pytest.mark.parametrize(
    ("line", "who", "end"),
    [("N. L BRITTON", "N. L. Britton", 12), ("N. L BRITTON(", "N. L. Britton", 12), ("E. G. BRITTON }", "E. G. Britton", 13)],
)
def test_a_line_of_names_with_an_initials_dot_unread_or_a_brace_beside_it(line: str, who: str, end: int) -> None:
    got = find_people_line(line)
    assert got is not None and got.names == [who] and line[got.start : got.end] == line[:end]


@pytest.mark.parametrize(
    "line",
    ["WEST INDIES", "NEW YORK", "VICINITY OF SAN JUAN", "ST. THOMAS", "Roadside wall", "N. L. Britton 123", "A B SMITH"],
)
def test_not_lines_of_names(line: str) -> None:
    assert find_people_line(line) is None


@pytest.mark.parametrize(
    ("line", "side"),
    [
        ("COLLECTORS", "above"),
        ("COLLECTORS.", "above"),
        ("Collectors, AUG. 31-SEPT. 20,1905", "above"),
        ("Collector:", "below"),
        ("Collector Number: 47", None),
        ("Coll. M. L. Fernald", None),
        ("Collecting trip", None),
    ],
)
def test_collector_captions(line: str, side: str | None) -> None:
    assert collector_caption(line) == side


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["VICINITY OF SAN JUAN", "N. L. BRITTON", "J. F.COWELL", "COLLECTORS", "FEB. 11, 12, 1914"],
         "N. L. Britton | J. F. Cowell"),
        # a brace's caption beside the middle of its names: those under it in its capitals too
        (["ST. THOMAS", "E. G. BRITTON", "COLLECTORS", "DELIA W. MARBLE"], "E. G. Britton | Delia W. Marble"),
        (["STEWARDSON BROWN", "N.L. BRITTON", "COLLECTORS", "E. J. WORTLEY", "SEPT., 1913"],
         "Stewardson Brown | N.L. Britton | E. J. Wortley"),
        (["NO26168", "Elbert L. Little, Jr.,and", "COLLECTOR", "Roy O. Woodbury", "March 27, 1972"],
         "Elbert L. Little, Jr. | Roy O. Woodbury"),  # a party left open above the caption
        (["A. Bell", "Collectors", "C. Dunn"], "A. Bell"),  # neither in the caption's capitals nor an open party
        # the caption is the cue of a name in capitals with particles after it; a title or a place is no one
        (["N. L. BRITTON", "COLLECTORS", "J. F. COWELL", "CARLOS DE LA TORRE", "APRIL 12, 1912"],
         "N. L. Britton | J. F. Cowell | Carlos de la Torre"),
        (["Collector:", "CARLOS DE LA TORRE", "No. 12"], "Carlos de la Torre"),
        (["N. L. BRITTON", "COLLECTORS", "REPUBLICA DE CUBA"], "N. L. Britton"),
        (["N. L. BRITTON", "COLLECTORS", "FLORE DU QUEBEC"], "N. L. Britton"),
        (["Roadside wall", "COLLECTORS", "CARLOS DE LA TORRE"], None),  # a bare caption's line after it: a title?
        (["FLORE DE FRANCE", "COLLECTORS"], None),
        # a date beside the caption: the names in capitals on both sides are the brace's
        (["Roadside wall", "STEWARDSON BROWN", "Collectors, AUG. 31-SEPT. 20,1905", "N. L. BRITTON"],
         "Stewardson Brown | N. L. Britton"),
        (["Roadside wall", "Stewardson Brown", "Collectors, AUG. 31-SEPT. 20,1905", "N. L. BRITTON"],
         "Stewardson Brown"),
        (["Collector:", "Mary H. Dennis", "23 Feb 2018"], "Mary H. Dennis"),  # a field name: its value below
        (["Roadside wall", "COLLECTORS", "May 3, 1905"], None),  # no names next to the caption
        (["Grand Rapids", "COLLECTORS"], None),  # a place in title case is no person
        # a form's values read by columns over their captions: the names, the date, then the caption
        (["LICHENS OF ELMTON", "R.Bell", "1990", "(Determined)", "(Year)", "P.Jones", "4 Aug 1989", "(Collector)"],
         "P. Jones"),
        # a field's name with its colon over the names is no name ("CHEMICAL TESTS:")
        (["NOTES: on soil", "CHEMICAL TESTS:", "A.Bell", "(Collector)", "7 Aug 1991", "(Date)"], "A. Bell"),
    ],
)  # fmt: skip
def test_captioned_collectors(lines: list[str], expected: str | None) -> None:
    got = extract_fields(lines).get("recordedBy")
    assert (got.value if got else None) == expected


def test_names_under_a_brace_caption_on_another_card_are_not_its_collectors() -> None:
    lines = ["E. G. BRITTON", "COLLECTORS", "DELIA W. MARBLE"]
    assert extract_fields(lines, labels=[0, 0, 0])["recordedBy"].value == "E. G. Britton | Delia W. Marble"
    assert extract_fields(lines, labels=[0, 0, 1])["recordedBy"].value == "E. G. Britton"


@pytest.mark.parametrize(
    ("line", "who"),
    [("Coll. F. De La Rosa 1234", "F. De La Rosa"), ("Coll. CARLOS DE LA TORRE 1234", "Carlos de la Torre"),
     ("J. DE LA CRUZ 1234", "J. de la Cruz"), ("Coll. H. VAN DER WERFF 1234", "H. van der Werff"),
     ("Leg. Carlos De La Torre", "Carlos De La Torre"), ("Col. J. de la Cruz 55", "J. de la Cruz")],
)  # fmt: skip
def test_a_surnames_particles_in_any_case(line: str, who: str) -> None:
    got = extract_fields(["Elmia rosea Bell", line]).get("recordedBy")
    assert got is not None and got.value == who  # never cut at the particle: "F. De La", "Carlos de", "H. van"


def test_a_title_in_capitals_with_a_particle_is_no_one() -> None:
    from herbproc.fields import people

    assert people.find_people_line("FLORE DU NOUVEAU-QUEBEC") is None
    assert people.find_people_line("CARLOS DE") is None  # a particle is no surname
    assert extract_fields(["FLORE DU NOUVEAU-QUEBEC", "Coll. A. Bell 3"])["recordedBy"].value == "A. Bell"


@pytest.mark.parametrize(
    ("line", "who"),
    [("Dr. ALBERT C. BELLOWS, Collector", "Dr. Albert C. Bellows"), ("Coll. Dr. ALBERT C. BELLOWS", "Dr. Albert C. Bellows"),
     ("DR. ALBERT C. BELLOWS", "Dr. Albert C. Bellows"), ("Leg. Dr. BELLOWS", "Dr. Bellows"),
     ("Dr. Albert C. Bellows, Collector", "Dr. Albert C. Bellows")],
)  # fmt: skip
def test_a_title_before_a_name_in_capitals(line: str, who: str) -> None:
    got = extract_fields(["Elmia rosea Bell", line]).get("recordedBy")
    assert got is not None and got.value == who  # not "Dr. ALBERT" as a title and a surname


def test_the_number_before_the_names_and_their_caption_and_the_date_after_it() -> None:
    line = "No. 417 Dr. ALBERT C. BELLOWS, Collector.  May 3 to June 1, 1911"
    got = {k: f.value for k, f in extract_fields(["Elmia rosea Bell", line]).items()}
    assert (got["recordedBy"], got["recordNumber"], got["eventDate"]) == (
        "Dr. Albert C. Bellows", "417", "1911-05-03/1911-06-01"
    )  # fmt: skip
    assert extract_fields(["A. BELL, Collector, near the river"])["recordedBy"].value == "A. Bell"


def test_a_large_party_wrapped_over_three_lines_is_read_whole() -> None:
    party = ["leg. R. Alba, J. Bello, M. A. Cruz, H. Dunn, L.", "García Gómez, J. Hill, E. Ivey, L. Jones, U.",
             "Kerr, H. Lamb"]  # fmt: skip
    got = extract_fields(["Elmia rosea L.", *party])["recordedBy"].value.split(" | ")
    assert got == ["R. Alba", "J. Bello", "M. A. Cruz", "H. Dunn", "L. García Gómez", "J. Hill", "E. Ivey",
                   "L. Jones", "U. Kerr", "H. Lamb"]  # fmt: skip
