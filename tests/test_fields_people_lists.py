"""Collector lists and collector numbers as labels write them (issue 12): several collectors on one line or
wrapped, "et al.", an initial before the name used, generation suffixes, cues with other punctuation, series
letters before numbers, "s.n." (no number), and what is no collector or no number. Made-up label lines."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.people import find_collectors, find_people_line, find_record_number
from herbproc.fields.taxon import TaxonIndex


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


@pytest.mark.parametrize(
    ("line", "names", "cued", "number"),
    [
        ("leg. K. Albrecht nr. C 5120", ["K. Albrecht"], True, "C 5120"),  # a series letter before the number
        ("Collector: M. Joan Ruiz , Tom Bell", ["M. Joan Ruiz", "Tom Bell"], True, None),  # initial, name used
        ("P. Q. Marlow III 77", ["P. Q. Marlow III"], False, "77"),
        ("G. T. HALVERSON III", ["G. T. Halverson III"], False, None),
        ("D. M. Avery Jr.", ["D. M. Avery Jr."], False, None),  # "Jr." is no surname
        ("Collector. D. K. Ormsby", ["D. K. Ormsby"], True, None),  # the cue's colon read as a dot
        ("COLLECTOR, T. R.VANCE.", ["T. R. Vance"], True, None),
        ("Coll.: Rita Okafor et al. 402", ["Rita Okafor et al."], True, "402"),
        ("Rita Okafor, Lee Stroud et. al.", ["Rita Okafor", "Lee Stroud et al."], False, None),
        ("N. Petrov 8.1927", ["N. Petrov"], False, None),  # a month and year, not a number
        ("N. Petrov 83-117", ["N. Petrov"], False, "83-117"),
        ("Ed Morrow No.: 3310&95", ["Ed Morrow"], False, "3310 & 95"),  # two collectors' numbers
        ("Coll. B. C. Harlow So.5127", ["B. C. Harlow"], True, None),  # "No." misread and glued: no surname
    ],
)  # fmt: skip
def test_collectors_and_numbers(line: str, names: list[str], cued: bool, number: str | None) -> None:
    found = find_collectors(line)
    assert found is not None, line
    assert (found.names, found.cued) == (names, cued)
    assert find_record_number(line, after=found.end) == number


@pytest.mark.parametrize(
    "line", ["Elkton City, MD", "Carver Township", "Collectors, SEPT. 3, 1911", "J. Smith nr. Alton"]
)
def test_not_collectors_or_numbers(line: str) -> None:
    found = find_collectors(line)
    if line.startswith("J. Smith"):  # "nr." before a place is "near", not a number
        assert found is not None and find_record_number(line, after=found.end) is None
    else:
        assert found is None, line


def test_a_line_of_names_with_et_al() -> None:
    found = find_people_line("Marta Lindqvist et. al.")
    assert found is not None and found.names == ["Marta Lindqvist et al."]


def test_sine_numero_leaves_the_number_empty() -> None:
    got = read(["Collector: Hal Brenner s.n.", "Date: June 3, 1961", "No. 45"])
    assert got["recordedBy"] == "Hal Brenner" and "recordNumber" not in got


@pytest.mark.parametrize("line", ["A. Bell sin número", "Leg. A. Bell, sin núm.", "Col. A. Bell (sin número)"])
def test_spanish_sin_numero_is_no_number(line: str) -> None:
    got = read(["Quercus alba L.", "Rosaville", line, "No. 45"])
    assert got["recordedBy"] == "A. Bell" and "recordNumber" not in got


@pytest.mark.parametrize("cue", ["Raccolse", "Racc.", "Raccolto da"])
def test_italian_collector_cues(cue: str) -> None:
    assert read(["Quercus alba L.", "Rosaville", f"{cue} A. Bell", "12 aprile 1912"])["recordedBy"] == "A. Bell"


@pytest.mark.parametrize("line", ["Leg. A. Bell u. C. Dunn 1234", "Leg. A. Bell e C. Dunn 1234"])
def test_german_u_and_portuguese_e_join_two_collectors(line: str) -> None:
    got = read(["Quercus alba L.", "Rosaville", line])
    assert (got["recordedBy"], got["recordNumber"]) == ("A. Bell | C. Dunn", "1234")


def test_a_degree_after_the_name_is_no_collector() -> None:
    got = read(["Quercus alba L.", "Rosaville", "Coll. A. Bell, Ph.D. 1234"])
    assert (got["recordedBy"], got["recordNumber"]) == ("A. Bell", "1234")


def test_a_number_after_the_names_and_a_semicolon() -> None:
    assert read(["Quercus alba L.", "Rosaville", "Coll. A. Bell; 1234"])["recordNumber"] == "1234"


def test_a_number_alone_after_a_hash_is_cued() -> None:
    got = read(["14 June - 2 July 1958", "9 June", "Ruth Ellison", "Herbarium of the State College", "#812"])
    assert (got["recordedBy"], got["recordNumber"]) == ("Ruth Ellison", "812")  # not the day "9 June"


def test_a_list_of_names_wrapped_after_its_comma() -> None:
    got = read(["Ana Ferreira, Paul K. Dunn,", "Lea Moss, Otto Brandt 2207"])
    assert got["recordedBy"] == "Ana Ferreira | Paul K. Dunn | Lea Moss | Otto Brandt"
    assert got["recordNumber"] == "2207"
    # a place line ending with a comma is not joined to the next because two words look like a name
    got = read(["Exp. Sta., Santa Clara,", "Costa Rica. Altitude 40 m."])
    assert "recordedBy" not in got


@pytest.mark.parametrize(
    "lines",
    [
        ["Collector: Ada Bell, Steven", "Date: 17 July 2001", "Marlow"],  # past the form's date field read between
        ["Collector: Ada Bell, Steven", "Marlow", "Dry slope"],
    ],
)
def test_the_last_name_cut_after_its_first_name_takes_the_surname_wrapped(lines: list[str]) -> None:
    assert read(lines)["recordedBy"] == "Ada Bell | Steven Marlow"


def test_a_place_alone_after_a_list_is_no_wrapped_surname() -> None:
    assert read(["Collector: Ada Bell, Steven", "Massachusetts"])["recordedBy"] == "Ada Bell | Steven"


def test_numbers_of_two_collectors_on_their_own_line() -> None:
    got = read(["Collector: Ed Morrow, Ines Baptiste", "No.: 3310&95", "Date: 2 May 1980"])
    assert (got["recordedBy"], got["recordNumber"]) == ("Ed Morrow | Ines Baptiste", "3310 & 95")


def test_a_form_read_field_names_first() -> None:
    got = read(["FLORA OF NEVADA", "Desert Holly", "Collected by:", "Date:", "4-9-77", "Wanda K. Pruitt"])
    assert got["recordedBy"] == "Wanda K. Pruitt"  # not the common name, two words in title case


def test_the_collector_line_under_a_personal_herbarium() -> None:
    got = read(["Sedum ternatum Michx.", "Ledge, Bald Hill", "June 2, 1911", "HERBARIUM OF J. W. HOLT.",
                "COLLECTOR J. W. HOLT."])  # fmt: skip
    assert got["recordedBy"] == "J. W. Holt"


def read_cards(lines: list[str], cards: list[int]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines, labels=cards).items()}


def test_a_forms_number_slot_a_few_lines_above_the_names() -> None:
    lines = ["BOTANICAL SURVEY OF THE ISLANDS", "NORTHERN DISTRICT", "7716", "HILLS EAST OF THE HARBOUR",
             "Rocky thicket.", "A. B. MORLAND", "C. D. FENN", "COLLECTORS", "JUNE 3, 1921"]  # fmt: skip
    assert read_cards(lines, [0] * len(lines))["recordNumber"] == "7716"  # the card's only number
    # two bare numbers on the card: only one beside the names is taken; none on another card
    two = lines[:2] + ["7716", "2200"] + lines[3:]
    assert "recordNumber" not in read_cards(two, [0] * len(two))
    assert "recordNumber" not in read_cards(lines, [1, 1, 1, 0, 0, 0, 0, 0, 0])
    assert "recordNumber" not in read(lines)  # without cards: within two lines only
    # not a piece of a date or a two-digit number
    assert "recordNumber" not in read_cards(lines[:2] + ["/21"] + lines[3:], [0] * len(lines))


def test_a_bare_number_by_the_names_beats_a_cued_one_on_another_card() -> None:
    lines = ["FLORA OF THE ISLANDS", "6123.", "Sandy shore.", "E. F. GRAYLING", "COLLECTOR", "Dry", "No. 47"]
    assert read_cards(lines, [0, 0, 0, 0, 0, 0, 1])["recordNumber"] == "6123"
    assert read_cards(lines, [0] * 7)["recordNumber"] == "47"  # on the collector's card the cue wins
    assert read(lines)["recordNumber"] == "47"  # and without cards


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Collector: Oswin T. Marsh. Jr.", ["Oswin T. Marsh, Jr."]),  # the suffix's comma read as a dot
        ("R. P. QUILL. SR., D. Vance", ["R. P. Quill, Sr.", "D. Vance"]),
        ("Coll. J. Brandt. Srinagar", ["J. Brandt"]),  # a word beginning "Sr…" is no suffix
    ],
)
def test_a_generation_suffix_after_a_dot(line: str, names: list[str]) -> None:
    found = find_collectors(line)
    assert found is not None and found.names == names


def test_a_name_in_capitals_with_its_number_read_as_the_next_line() -> None:
    got = read(["PLANTS OF ELMTON", "Dry slope.", "ARTHUR BELL", "6814", "September 24, 1950"])
    assert (got["recordedBy"], got["recordNumber"]) == ("Arthur Bell", "6814")


def test_a_pass_in_capitals_and_a_number_under_it_is_no_collector() -> None:
    got = read(["PLANTS OF ELMTON", "ROSAVILLE PASS", "10320", "Coll. A. Bell", "No. 98"])
    assert (got["recordedBy"], got["recordNumber"]) == ("A. Bell", "98")


def test_names_in_capitals_joined_by_and_in_capitals() -> None:
    fields = read(["EXPLORATION OF ROSAVILLE", "A. B. BELL AND C. D. DUNN, COLLECTORS", "MARCH 9, 1908"])
    assert fields.get("recordedBy") == "A. B. Bell | C. D. Dunn"


def test_a_place_in_capitals_joined_by_and_is_no_collector() -> None:
    fields = read(["EXPLORATION OF ROSAVILLE", "ELMTON AND VICINITY", "A. B. BELL", "MARCH 9, 1908"])
    assert fields.get("recordedBy") == "A. B. Bell"


def test_number_cued_by_no_without_its_dot() -> None:
    fields = read(["FLORA OF ROSAVILLE", "A. Bell, no 1234", "12 Aug 1974"])
    assert fields.get("recordNumber") == "1234"


def test_no_before_a_count_in_a_note_is_no_cue() -> None:
    fields = read(["FLORA OF ROSAVILLE", "A. Bell", "no 2 plants alike", "12 Aug 1974"])
    assert "recordNumber" not in fields


def test_names_with_the_collector_caption_after_a_slash() -> None:
    fields = read(["EXPLORATION OF ROSAVILLE", "ELMTON VALLEY", "A. B. BELL / COLLECTORS", "MARCH 9, 1908"])
    assert fields.get("recordedBy") == "A. B. Bell"


def test_names_side_by_side_over_the_collectors_caption() -> None:
    fields = read(["EXPLORATION OF ROSAVILLE", "ELMTON VALLEY", "A. B. BELL  C. D. DUNN", "COLLECTORS", "MARCH 9, 1908"])
    assert fields.get("recordedBy") == "A. B. Bell | C. D. Dunn"


def test_a_first_name_before_a_middle_initial_is_no_second_person() -> None:
    fields = read(["EXPLORATION OF ROSAVILLE", "ELMTON VALLEY", "ALICE B. BELL", "COLLECTOR", "MARCH 9, 1908"])
    assert fields.get("recordedBy") == "Alice B. Bell"


@pytest.mark.parametrize("line", ["Coll. A. Bell, Elmton College", "Coll. A. Bell, University of Elmton"])
def test_the_collectors_institution_after_the_cued_name(line: str) -> None:
    assert read(["Quercus alba L.", "Rosaville", line])["recordedBy"] == "A. Bell"


def test_a_list_of_names_broken_before_its_last_and() -> None:
    head = ["LICHENS OF TENNESSEE", "Parmelia sulcata Taylor", "On oak bark near Rosaville."]
    got = read([*head, "A. Bell, C. Dunn", "& E. Fox 1234", "June 12, 1964"])
    assert (got["recordedBy"], got["recordNumber"]) == ("A. Bell | C. Dunn | E. Fox", "1234")
    got = read([*head, "Coll. A. Bell, C. Dunn", "and E. Fox, No. 1234"])
    assert (got["recordedBy"], got["recordNumber"]) == ("A. Bell | C. Dunn | E. Fox", "1234")


def test_a_companion_on_the_line_under_the_collector() -> None:
    head = ["LICHENS OF TENNESSEE", "Parmelia sulcata Taylor", "On oak bark near Rosaville."]
    got = read([*head, "A. Bell", "with C. Dunn", "1234"])  # not C. Dunn alone, the number beside his name
    assert (got["recordedBy"], got["recordNumber"]) == ("A. Bell | C. Dunn", "1234")


@pytest.mark.parametrize(
    ("line", "agents"),
    [("Collector: Stephen & Sandra Elm # 88003-26", "Stephen & Sandra Elm"),
     ("Coll. Anna & Bob Rosa & C. Dunn", "Anna & Bob Rosa | C. Dunn"),
     ("Coll. C. Dunn, Anna & Bob Rosa", "C. Dunn | Anna & Bob Rosa"),
     ("Coll. Stephen Elm & Sandra Rosa", "Stephen Elm | Sandra Rosa")],
)  # fmt: skip
def test_a_first_name_alone_before_and_shares_the_next_surname(line: str, agents: str) -> None:
    got = extract_fields([line]).get("recordedBy")
    assert got is not None and got.value == agents


@pytest.mark.parametrize(
    "lines",
    [["31 MAY 2005", "Leslie J. Elm 22451, with E. Rosa"],
     ["On Alnus near stream.", "I.M. Elm, No. 10762", "1 July 1967", "with E. Rosa", "Herbarium of Elmton"]],
)  # fmt: skip
def test_a_party_with_the_collector_after_the_number_collected_too(lines: list[str]) -> None:
    got = extract_fields(lines).get("recordedBy")
    assert got is not None and got.value.endswith(" | E. Rosa") and "Elm" in got.value


@pytest.mark.parametrize("tail", ["with Pinus Strobus", "with Rosa Elmiana", "With: Cephalozia bicuspidata"])
def test_with_and_a_plant_after_the_number_is_no_party(tail: str) -> None:
    got = extract_fields(["Coll. A. Bell 123", tail]).get("recordedBy")
    assert got is not None and got.value == "A. Bell"


@pytest.mark.parametrize(
    ("tail", "party"),
    [("with Prosper Rosa", "A. Bell | Prosper Rosa"),
     ("With: C. Dunn", "A. Bell | C. Dunn"),
     ("(with John Rosa & Paul H. Dunn)", "A. Bell | John Rosa | Paul H. Dunn"),
     ("and John E. Rosa", "A. Bell | John E. Rosa")],
)  # fmt: skip
def test_a_party_on_its_own_line_in_whole_names_collected_too(tail: str, party: str) -> None:
    got = extract_fields(["Coll. A. Bell 123", "August 24, 1992", tail]).get("recordedBy")
    assert got is not None and got.value == party


@pytest.mark.parametrize("lines", [["Coll. A. Bell 12", "and Fred Rosa"], ["Coll. A. Bell 1 with Fred Rosa"]])
def test_whole_names_after_and_or_on_the_number_line_need_initials(lines: list[str]) -> None:
    got = extract_fields(lines).get("recordedBy")
    assert got is not None and got.value == "A. Bell"


def test_a_genus_of_the_taxonomy_after_with_is_no_party() -> None:
    lines = ["Coll. A. Bell 123", "with Fagus Grandis"]
    assert extract_fields(lines)["recordedBy"].value == "A. Bell | Fagus Grandis"
    assert extract_fields(lines, TaxonIndex(["Fagus grandifolia Ehrh."]))["recordedBy"].value == "A. Bell"


def test_a_with_line_after_other_words_is_no_party() -> None:
    got = extract_fields(["Coll. A. Bell 123", "On rocks by the shore", "with C. Dunn"]).get("recordedBy")
    assert got is not None and got.value == "A. Bell"


def test_a_with_line_on_another_card_is_no_party() -> None:
    lines = ["Coll. A. Bell 123", "with C. Dunn"]
    assert extract_fields(lines, labels=[0, 0])["recordedBy"].value == "A. Bell | C. Dunn"
    assert extract_fields(lines, labels=[0, 1])["recordedBy"].value == "A. Bell"
