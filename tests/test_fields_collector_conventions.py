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


@pytest.mark.parametrize("place", ["Costa Rica", "Santo Domingo", "Puerto Plata", "Sierra Nevada", "Santa Cruz",
                                   "Cerro Gordo", "Villa Nueva"])  # fmt: skip
def test_a_place_on_a_line_of_its_own_is_no_collector(place: str) -> None:
    got = _fields(["PLANTS OF THE ANTILLES", place, "Wet ravine, 300 m"])
    assert "recordedBy" not in got


@pytest.mark.parametrize("person", ["Maria Costa", "Elena Santos", "Pedro Sierra", "Hugo Monte"])
def test_a_person_whose_surname_is_a_place_word_stays_a_person(person: str) -> None:
    assert _fields([f"Coll. {person} 2231", "Wet ravine, 300 m"])["recordedBy"] == person


@pytest.mark.parametrize(
    ("line", "number"),
    [("C. W. Brannock 5127  Jan. 3, 1911", "5127"), ("Ada P. Lorne  884  March 23, 1929", "884"),
     ("R. Y. Tuck 30117, 12 Sept. 1962", "30117")],
)  # fmt: skip
def test_a_bare_number_before_the_date_on_the_collector_line(line: str, number: str) -> None:
    got = _fields(["FLORA OF THE WINDWARD ISLANDS", line, "Roadside thicket"])
    assert got["recordNumber"] == number
    assert got["eventDate"].startswith(line.rsplit(" ", 1)[-1])


def test_the_day_of_a_date_after_the_names_is_no_number() -> None:
    got = _fields(["FLORA OF THE WINDWARD ISLANDS", "C. W. Brannock 12 Jan. 1911", "Roadside thicket"])
    assert "recordNumber" not in got
    assert got["eventDate"] == "1911-01-12"


@pytest.mark.parametrize(
    ("line", "who", "number"),
    [("Halvorsen & Tibbs 7721", "Halvorsen | Tibbs", "7721"), ("Wendorf 16342", "Wendorf", "16342"),
     ("Quaile 4521, 12 Mar. 1887", "Quaile", "4521")],
)  # fmt: skip
def test_surnames_alone_with_their_number(line: str, who: str, number: str) -> None:
    got = _fields(["PLANTS OF THE LEEWARD ISLANDS", line, "Dry hillside"])
    assert (got["recordedBy"], got["recordNumber"]) == (who, number)


@pytest.mark.parametrize(
    "line", ["Jamaica 12345", "Box 112", "SPECIES 109-12-2", "Wendorf 1911", "Wendorf 4521 dry hills", "Km 120"]
)
def test_no_surname_number_from_places_parts_years_or_prose(line: str) -> None:
    got = _fields(["PLANTS OF THE LEEWARD ISLANDS", line])
    assert "recordNumber" not in got
    assert "recordedBy" not in got


@pytest.mark.parametrize("cue", ["Field No.", "Collection number", "Coll. No.", "N.°", "n°"])
def test_a_number_on_its_own_line_after_a_field_or_collection_cue(cue: str) -> None:
    got = _fields(["PLANTS OF THE LEEWARD ISLANDS", f"{cue} 6618", "Coll. V. Ostrander", "Dry hillside"])
    assert got["recordNumber"] == "6618"


def test_latin_n_before_a_number_is_the_number_cue_but_not_north() -> None:
    assert _fields(["Leg. V. Ostrander n. 6618", "Dry hillside"])["recordNumber"] == "6618"
    assert "recordNumber" not in _fields(["3 km n. of the ferry", "Leg. V. Ostrander", "Dry hillside"])


@pytest.mark.parametrize(
    ("line", "number"),
    [("Coll. V. Ostrander (6618)", "6618"), ("6618  V. Ostrander", "6618"), ("6618 V. Ostrander 3 May 1950", "6618")],
)
def test_a_number_in_brackets_after_the_names_or_before_them(line: str, number: str) -> None:
    got = _fields(["PLANTS OF THE LEEWARD ISLANDS", line, "Dry hillside"])
    assert (got["recordedBy"], got["recordNumber"]) == ("V. Ostrander", number)


@pytest.mark.parametrize("line", ["1923 V. Ostrander", "12 V. Ostrander", "Coll. V. Ostrander (1923)"])
def test_no_number_before_the_names_from_a_year_or_a_stray_digit(line: str) -> None:
    assert "recordNumber" not in _fields(["PLANTS OF THE LEEWARD ISLANDS", line, "Dry hillside"])


@pytest.mark.parametrize("line", ["V. Ostrander 12,618", "V. Ostrander No. 12,618", "Coll. V. Ostrander, 12,618"])
def test_a_number_with_a_thousands_comma_is_read_whole(line: str) -> None:
    assert _fields(["PLANTS OF THE LEEWARD ISLANDS", line, "Dry hillside"])["recordNumber"] == "12,618"


@pytest.mark.parametrize(
    "line",
    ["Colectores: V. Ostrander y K. Mabry", "Colectado por V. Ostrander", "Recolector: V. Ostrander",
     "Récolté par V. Ostrander", "Leg. et det. V. Ostrander", "Col. y det. V. Ostrander",
     "Recueilli par V. Ostrander", "Coletor: V. Ostrander", "Coletado por V. Ostrander", "Raccolto da V. Ostrander",
     "Gesammelt von V. Ostrander", "Sammler: V. Ostrander", "Verzameld door V. Ostrander"],
)  # fmt: skip
def test_spanish_french_and_latin_collector_cues(line: str) -> None:
    got = _fields(["PLANTAS DE LAS ANTILLAS", line, "Ladera seca"])
    assert got["recordedBy"].startswith("V. Ostrander")


@pytest.mark.parametrize(("line", "who"), [("Coll. Rev. A. Whitcombe", "Rev. A. Whitcombe"),
                                           ("Fr. Anselme 2210", "Fr. Anselme"), ("Padre Tomás Irigoyen 88", "Padre Tomás Irigoyen")])  # fmt: skip
def test_a_clergy_title_stays_with_its_collector(line: str, who: str) -> None:
    got = _fields(["PLANTS OF THE LEEWARD ISLANDS", line, "Dry hillside"])
    assert got["recordedBy"] == who
    assert "identifiedBy" not in got


def test_rev_alone_before_a_name_stays_a_revision() -> None:
    got = _fields(["ANNOTATION", "Rev. A. Whitcombe 1985"])
    assert "recordedBy" not in got


@pytest.mark.parametrize(
    ("line", "number"),
    [("V. Ostrander H4418", "H4418"), ("V. Ostrander K 4418", "K 4418"), ("V. Ostrander VO-4418", "VO-4418"),
     ("V. Ostrander, Jan. 3, 1925, 4418", "4418")],
)  # fmt: skip
def test_a_number_with_a_series_prefix_or_after_the_date(line: str, number: str) -> None:
    got = _fields(["PLANTS OF THE LEEWARD ISLANDS", line, "Dry hillside"])
    assert (got["recordedBy"], got["recordNumber"]) == ("V. Ostrander", number)


@pytest.mark.parametrize("line", ["BY MRS. V. OSTRANDER IN 13", "V. Ostrander, Jan. 3, 1925", "V. Ostrander VO-"])
def test_no_prefixed_number_from_a_word_and_a_short_number(line: str) -> None:
    assert "recordNumber" not in _fields(["PLANTS OF THE LEEWARD ISLANDS", line, "Dry hillside"])


def test_a_hyphen_after_a_surname_in_capitals_is_not_part_of_it() -> None:
    assert _fields(["PLANTS OF THE LEEWARD ISLANDS", "V. OSTRANDER VO-", "Dry hillside"])["recordedBy"] == "V. Ostrander"


@pytest.mark.parametrize("line", ["CoII. V. Ostrander", "Coli. V. Ostrander", "Coll, V. Ostrander", "Coll V. Ostrander"])
def test_a_collector_cue_as_the_reader_misreads_it(line: str) -> None:
    assert _fields(["PLANTS OF THE LEEWARD ISLANDS", line, "Dry hillside"])["recordedBy"] == "V. Ostrander"


@pytest.mark.parametrize("line", ["V. Ostrander No4418", "V. Ostrander Nº4418"])
def test_a_number_cue_glued_to_its_digits_is_no_surname(line: str) -> None:
    got = _fields(["PLANTS OF THE LEEWARD ISLANDS", line, "Dry hillside"])
    assert (got["recordedBy"], got["recordNumber"]) == ("V. Ostrander", "4418")


@pytest.mark.parametrize(
    ("line", "who"),
    [("JOSÉ ACUÑA 4418", "José Acuña"), ("ROLAND M. HALVORSEN 4418", "Roland M. Halvorsen"),
     ("Halvorsen & V. Ostrander 4418", "Halvorsen | V. Ostrander")],
)  # fmt: skip
def test_names_in_capitals_or_mixed_with_surnames_before_their_number(line: str, who: str) -> None:
    got = _fields(["PLANTS OF THE LEEWARD ISLANDS", line, "Dry hillside"])
    assert (got["recordedBy"], got["recordNumber"]) == (who, "4418")


@pytest.mark.parametrize("line", ["LA PALMA 4418", "CERRO VERDE 4418", "SIERRA MAESTRA"])
def test_no_capitals_person_from_a_place(line: str) -> None:
    assert "recordedBy" not in _fields(["PLANTS OF THE LEEWARD ISLANDS", line, "Dry hillside"])


@pytest.mark.parametrize("line", ["PLANTS COLLECTED IN TURKS ISLANDS, 1905", "Collected NEAR BARACOA", "Coll. Along the river"])
def test_words_after_a_collector_cue_that_are_no_names(line: str) -> None:
    assert "recordedBy" not in _fields([line, "Dry hillside"])


@pytest.mark.parametrize("leader", [" ........ ", "____", " . . . . ", "……"])
def test_a_printed_forms_leaders_stand_for_the_captions_colon(leader: str) -> None:
    got = _fields([f"Collector{leader}V. Ostrander", f"No.{leader}4418", f"Date{leader}12 May 1931",
                   f"Locality{leader}Dry hills near Carrow"])  # fmt: skip
    assert (got["recordedBy"], got["recordNumber"], got["eventDate"]) == ("V. Ostrander", "4418", "1931-05-12")
    assert got["locality"] == "Dry hills near Carrow"


@pytest.mark.parametrize("stray", [": ", ";  "])
def test_a_captions_colon_read_again_at_its_values_start_is_dropped(stray: str) -> None:
    """The line beside ``Location:`` found a second time from the caption's colon on (herbproc.sheet.detail)."""
    got = _fields(["FLORA OF ALASKA", "Location:", f"{stray}Elm Island, Rosa Bay, Cook Inlet;", "Habitat:",
                   "heath; slope 5°", "Collector: Stephen Talbot"])  # fmt: skip
    assert got["locality"] == "Elm Island, Rosa Bay, Cook Inlet"


@pytest.mark.parametrize("place", ["Twin Lakes", "Three Rivers", "Sandy Flats", "Long Cay"])
def test_a_plural_or_landform_place_word_makes_a_pair_a_place(place: str) -> None:
    got = _fields(["Psidium guajava L.", "PLANTS OF THE LEEWARD ISLANDS", f"Anegada: {place} region"])
    assert "recordedBy" not in got
    assert got["locality"] == f"Anegada: {place} region"


@pytest.mark.parametrize(
    ("line", "number"),
    [("V. Ostrander 4418-A", "4418-A"), ("Leg. V. Ostrander, n.º 4418", "4418"), ("Leg. V. Ostrander, núm. 4418", "4418"),
     ("Leg. V. Ostrander, N.º 4418", "4418")],
)  # fmt: skip
def test_a_letter_suffix_after_a_dash_and_spanish_numero_cues(line: str, number: str) -> None:
    assert _fields(["PLANTAS DE LAS ANTILLAS", line, "Ladera seca"])["recordNumber"] == number


@pytest.mark.parametrize(
    ("line", "who", "number"),
    [("V. Ostrander leg. 4418", "V. Ostrander", "4418"), ("Ostrander leg.", "Ostrander", None),
     ("Ostrander & Mabry, legit", "Ostrander | Mabry", None), ("V. Ostrander, leg. & det. 4418", "V. Ostrander", "4418"),
     ("V. Ostrander (coll.)", "V. Ostrander", None)],
)  # fmt: skip
def test_the_collector_cue_after_the_names(line: str, who: str, number: str | None) -> None:
    got = _fields(["PLANTAE ANTILLARUM", line, "Dry hillside"])
    assert (got["recordedBy"], got.get("recordNumber")) == (who, number)


def test_a_collector_and_a_determiner_on_one_line() -> None:
    got = _fields(["Coll. V. Ostrander 4418; det. K. Mabry 1990", "12 May 1931"])
    assert (got["recordedBy"], got["recordNumber"], got["identifiedBy"]) == ("V. Ostrander", "4418", "K. Mabry")
    assert got["eventDate"] == "1931-05-12"


@pytest.mark.parametrize(
    ("line", "who"),
    [("Leg.: OSTRANDER, V. & MABRY, K.", "V. Ostrander | K. Mabry"), ("Coll. Ostrander, V.; Mabry, K. L. 4418", "V. Ostrander | K. L. Mabry")],
)  # fmt: skip
def test_several_collectors_turned_round_after_a_cue(line: str, who: str) -> None:
    assert _fields(["PLANTAE ANTILLARUM", line, "Dry hillside"])["recordedBy"] == who


@pytest.mark.parametrize("stamp", ["Dee 198g", "Des 194l", "Mar 19O1"])
def test_a_stamp_month_and_year_misread_is_no_surname_and_number(stamp: str) -> None:
    got = _fields(["PLANTS OF MEXICO", stamp])
    assert "recordedBy" not in got and "recordNumber" not in got


def test_a_number_with_its_own_letter_suffix_is_still_a_number() -> None:
    got = _fields(["PLANTS OF MEXICO", "Marple 198b"])
    assert (got["recordedBy"], got["recordNumber"]) == ("Marple", "198b")


@pytest.mark.parametrize("name", ["ROLAND M. HARPER", "ALICE B. MARPLE"])
def test_a_name_in_capitals_with_a_middle_initial_alone_on_its_line(name: str) -> None:
    got = _fields(["PLANTS OF GEORGIA", "Sandy pine barrens near Tifton", name, "May 3, 1921"])
    assert got["recordedBy"] == name.title()


@pytest.mark.parametrize("line", ["Coll. FERNALD & LONG", "Fernald & Long 1234", "Coll. Long & Fernald"])
def test_long_is_a_surname_where_no_longitude_follows(line: str) -> None:
    assert set(_fields(["PLANTS OF GEORGIA", line])["recordedBy"].split(" | ")) == {"Fernald", "Long"}


@pytest.mark.parametrize("line", ["Lat. 31 N, Long. 83 W", "Long: 83.2", "Long 83° W", "J. Smith Long 83.5 W"])
def test_long_before_its_value_is_a_longitude(line: str) -> None:
    assert "Long" not in _fields(["PLANTS OF GEORGIA", line, "Sandy pine barrens"]).get("recordedBy", "")


@pytest.mark.parametrize("road", ["Fla Hwy 51", "Tex Rte 9", "Old Mill Rd 12", "Elm Ave 40"])
def test_a_road_and_its_number_is_no_collector_and_number(road: str) -> None:
    # a state's or a town's abbreviation and a road's word read as a first name and a surname
    got = _fields(["PLANTS OF ELMTON COUNTY", road, "sandy roadside", "4 May 1960"])
    assert "recordedBy" not in got and "recordNumber" not in got


@pytest.mark.parametrize(
    ("line", "collector"),
    [
        ("Coll. Wm. Elmore", "Wm. Elmore"),
        ("Geo. V. Rosa, No. 123", "Geo. V. Rosa"),
        ("Collected by Chas. Bell & Jno. Dunn", "Chas. Bell | Jno. Dunn"),
        ("THOS. ELMORE, COLLECTOR", "Thos. Elmore"),
        ("Elmore, Wm. 1234", "Wm. Elmore"),
    ],
)
def test_a_given_name_shortened_like_an_initial_is_part_of_the_name(line: str, collector: str) -> None:
    # "Wm.", "Geo.", "Chas.": old labels shorten given names; the short form is no surname of its own
    assert _fields(["PLANTS OF ELMIA", "Quercus alba L.", line])["recordedBy"] == collector


def test_collected_and_prepared_by_names_the_collector() -> None:
    # an exsiccata's editor who gathered the specimens himself: "Collected and prepared by A. Bell"
    lines = ["LICHENES ELMTONENSES EXSICCATI", "Collected and prepared by A. Bell", "Aug. 1956."]
    assert extract_fields(lines)["recordedBy"].value == "A. Bell"


def test_a_line_of_names_under_a_cued_collectors_line_continues_the_party() -> None:
    lines = ["Elmton trail", "July 20 & 21, 1959", "Coll. A.B. Bell", "C.D. Rose"]
    assert extract_fields(lines)["recordedBy"].value == "A.B. Bell | C.D. Rose"
    lines[3] = "Rosaville"  # a place, not a person
    assert extract_fields(lines)["recordedBy"].value == "A.B. Bell"
    # a "Det." caption read alone, its value not found: the names may be the determiner's
    lines = ["Elmton trail", "Det.", "Coll. A.B. Bell", "C.D. Rose"]
    assert extract_fields(lines)["recordedBy"].value == "A.B. Bell"



def test_the_names_under_a_collectors_line_closed_by_its_caption_are_no_more_of_the_party() -> None:
    # an annotation slip's person and date read right under the label's printed "…, COLLECTOR" line
    lines = ["FLORA OF ROSA", "No. 6367", "Sept. 1, 1938", "ANN B. BELL, COLLECTOR", "Carl D. Rose", "March 2006"]
    assert extract_fields(lines)["recordedBy"].value == "Ann B. Bell"


@pytest.mark.parametrize("caption", ["COLLEOTOR", "COLLECTOR", "COLLECTORS", "Collector"])
def test_the_whole_name_before_a_collectors_caption_misread(caption: str) -> None:
    lines = ["FLORA OF ROSA", "No. 6549", "Sept. 4, 1938", f"ANN B. BELLAMY, {caption}", "Carl D. Rose", "March 2006"]
    assert extract_fields(lines)["recordedBy"].value == "Ann B. Bellamy"


@pytest.mark.parametrize(
    ("line", "who"),
    [("Collector: Sister M. Vincent de Paul McGivney", "Sister M. Vincent de Paul McGivney"),
     ("Coll. Juan de Dios Rodriguez 1234", "Juan de Dios Rodriguez"),
     ("Coll. Juan de Dios Rodriguez & A. Bell", "Juan de Dios Rodriguez | A. Bell"),
     ("Coll. A. van der Berg Elmvale swamp", "A. van der Berg"), ("Coll. Ana de la Cruz", "Ana de la Cruz")],
)  # fmt: skip
def test_a_given_name_with_its_particle_then_the_surname(line: str, who: str) -> None:
    assert extract_fields(["FLORA OF ROSA", line, "June 3, 1925"])["recordedBy"].value == who


def test_an_institutions_name_with_a_particle_is_no_person() -> None:
    assert "recordedBy" not in extract_fields(["LICHENS OF QUEBEC", "Centre de Recherches Arctiques", "June 3, 1925"])


def test_a_party_wrapped_after_its_comma_with_the_last_name_its_number_and_date_on_the_next_line() -> None:
    lines = ["PLANTS OF ROSA, USA", "Ann B. Bell, with Carl Dunn, A. Morehouse,", "and Michael Roe, 35960 10 June 2004"]
    got = extract_fields(lines)
    assert got["recordedBy"].value == "Ann B. Bell | Carl Dunn | A. Morehouse | Michael Roe"
    assert (got["recordNumber"].value, got["eventDate"].value) == ("35960", "2004-06-10")


@pytest.mark.parametrize(("nickname", "bare"), [('“J.C."', "J.C."), ('"J.C." ', "J.C."), ('"Bob" ', "Bob")])
def test_a_nickname_in_quotation_marks_between_the_first_name_and_the_surname(nickname: str, bare: str) -> None:
    got = extract_fields(["PLANTS OF ROSA", f"Coll. Michael {nickname}Roe 35960"])
    assert got["recordedBy"].value == f'Michael "{bare}" Roe' and got["recordNumber"].value == "35960"


@pytest.mark.parametrize(
    ("line", "collector"),
    [
        ("Collector:Anna Van deMeulen", "Anna Van de Meulen"),  # the reader dropped the space after the particle
        ("Leg. P. vonHagen 212", "P. von Hagen"),
        ("Collector: Carl DeWitt", "Carl DeWitt"),  # a particle in capitals is glued as names write it
        ("Coll. J. LeBlanc 123", "J. LeBlanc"),
        ("Collector: Anna DuBois", "Anna DuBois"),
    ],
)
def test_a_lower_case_particle_glued_to_the_surname_is_parted(line: str, collector: str) -> None:
    assert _fields(["Plants of Belgium", line, "Date: 25/04/2007"])["recordedBy"] == collector
