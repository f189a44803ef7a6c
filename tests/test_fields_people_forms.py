"""Collectors and numbers in the ways labels write them: titles, form captions, numbers under their field name,
annotation slips beside the label (herbproc.fields.people, herbproc.fields.extract)."""

from __future__ import annotations

import pytest

from herbproc.fields import TaxonIndex, extract_fields, resolve_taxon
from herbproc.fields.people import find_collectors, find_record_number
from herbproc.fields.text import smart_title
from herbproc.ocr.reader import set_taxon_fields


def _got(lines: list[str], term: str, cards: list[int] | None = None) -> str | None:
    found = extract_fields(lines, labels=cards).get(term)
    return found.value if found else None


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Coll. Dr. Mabel Quiring, 1902.", ["Dr. Mabel Quiring"]),  # a title is part of the name
        ("Col. Bro. Anselmo", ["Bro. Anselmo"]),  # a title and one name
        ("Col..Hno..Teodoro", ["Hno. Teodoro"]),  # a doubled dot (OCR)
        ("Coll. C. H. Bisselll", ["C. H. Bissell"]),  # a letter read thrice: no name has one
        ("Coll. F. H. DOBSON III", ["F. H. Dobson III"]),  # ... but a numeral's capitals stay
        ("COLLECTED BY BrO. K.P. Dumont", ["BrO. K.P. Dumont"]),  # the title's case misread
        ("COLL: Gerda T. Halvorsen", ["Gerda T. Halvorsen"]),  # "COLL" with a colon
        ("Col.: Ines R. & Pablo Ortega & T.V.Ruiz.", ["Ines R. & Pablo Ortega", "T.V. Ruiz"]),
        ("Coll. & det. by K. P. Varga", ["K. P. Varga"]),  # one person collected and determined it
    ],
)
def test_collectors_with_titles_and_cues(line: str, names: list[str]) -> None:
    found = find_collectors(line)
    assert found is not None and found.cued and found.names == names


def test_a_place_word_after_a_middle_initial_is_a_surname() -> None:
    found = find_collectors("Marta J. Field 31207")
    assert found is not None and found.names == ["Marta J. Field"]
    assert find_record_number("Marta J. Field 31207", after=found.end) == "31207"
    assert find_collectors("Grand R. Lake") is None  # a place word before the initial: no person


@pytest.mark.parametrize(
    "line", ["Family Rosaceae", "Santa Rita Province", "Planta Andinae Smithianae.", "Provincia Loreto"]
)
def test_form_captions_and_provinces_are_no_people(line: str) -> None:
    assert find_collectors(line) is None


@pytest.mark.parametrize(
    ("lines", "number"),
    [
        (["Herbario", "No.", "51234", "Col.: P. Ruiz"], "51234"),  # the form's "No." with its value under it
        (["VEDADO", "Núm..4471", "Col. Bro. Anselmo"], "4471"),  # Spanish "Núm."
        (["LOWLAND FLORA", "N04471", "K. Brandt"], "4471"),  # the "o" of "No" read as a zero
        (["Collector: K. L. Brandt", "Date: May 4, 1961", "Collector's No. 8812...."], "8812"),
    ],
)
def test_numbers_on_their_own_line(lines: list[str], number: str) -> None:
    assert _got(lines, "recordNumber") == number


def test_a_year_after_the_names_is_a_year_when_a_cued_number_stands_alone() -> None:
    lines = ["FLORA OF THE HIGHLANDS", "Coll. Dr. Mabel Quiring, 1902.", "No. 418.", "Deposited 1950"]
    assert _got(lines, "recordNumber") == "418"


def test_a_numbered_collector_makes_a_short_card_a_label_not_a_slip() -> None:
    lines = ["Herbarium of the Museum", "PLANTS OF GUAM", "K. O. Lindqvist 73312", "Carex alata Torr.",
             "Guam: Talofofo, along the river bank.", "K. O. Lindqvist, R. Moss & T. Ueda"]  # fmt: skip
    cards = [0, 0, 0, 0, 1, 1]
    assert _got(lines, "recordNumber", cards) == "73312"
    assert _got(lines, "identifiedBy", cards) is None
    # the numbered line names the first collector, the other line the whole party
    assert _got(lines, "recordedBy", cards) == "K. O. Lindqvist | R. Moss | T. Ueda"


def test_names_on_another_card_are_not_the_collectors_of_an_unread_caption() -> None:
    lines = ["Carex alata Torr.", "G. H. Olsen", ",1950", "EXPLORATION OF GUAM", "No. 2211", "COLLECTORS",
             "MAY 3, 1921"]  # fmt: skip
    cards = [0, 0, 0, 1, 1, 1, 1]
    assert _got(lines, "recordedBy", cards) is None
    assert _got(lines, "recordNumber", cards) == "2211"


def test_a_caption_with_initials_beside_it_is_read() -> None:
    lines = ["Locality: Sandy Point", "Collector", "K.L.B.", "Date", "May 4, 1961", "K. L. BRANDT"]
    assert _got(lines, "recordedBy", [0, 0, 0, 0, 0, 1]) == "K. L. Brandt"


def test_initials_stay_in_capitals_when_a_name_is_title_cased() -> None:
    assert smart_title("K.L. BRANDT") == "K.L. Brandt"


@pytest.mark.parametrize(("text", "titled"), [("AKFWS HERBARIUM", "AKFWS Herbarium"), ("MT. ELMTON", "Mt. Elmton")])
def test_capitals_no_one_could_say_as_a_word_stay_capitals(text: str, titled: str) -> None:
    assert smart_title(text) == titled


def test_a_name_in_capitals_after_a_cue_is_read_whole() -> None:
    # a first name in capitals is no surname: the whole name, not "Harold" nor "B. Quimby"
    assert find_collectors("Collected by HAROLD B. QUIMBY").names == ["Harold B. Quimby"]
    assert find_collectors("Coll. HAROLD QUIMBY").names == ["Harold Quimby"]
    assert find_collectors("Coll. Harold B. Quimby").names == ["Harold B. Quimby"]


@pytest.mark.parametrize(
    ("lines", "collector"),
    [(["Lichens of Elmton", "By Mabel Q. Sample.", "July 18, 1937"], "Mabel Q. Sample"),
     (["By Walter Doe 6157"], "Walter Doe")],
)  # fmt: skip
def test_by_before_a_collector_is_no_first_name(lines: list[str], collector: str) -> None:
    assert extract_fields(lines)["recordedBy"].value == collector


@pytest.mark.parametrize("line", ["Near Elmton, Lancaster Co.", "Along Mill Creek", "From Elmton Ridge"])
def test_a_preposition_heading_a_place_is_no_first_name(line: str) -> None:
    got = extract_fields([line, "WALTER DOE July 1, 1936"])
    assert not (got["recordedBy"].value if "recordedBy" in got else "").startswith(line.split()[0])


def test_a_name_in_capitals_then_the_date_is_the_collector() -> None:
    assert find_collectors("WALTER BELL July 1, 1936").names == ["Walter Bell"]
    assert find_collectors("NEBRASKA LICHENS July 1, 1936") is None  # a header's state and series word

def test_a_whole_name_in_capitals_then_a_number_like_a_year() -> None:
    # the name is the collector's; the number is the year, unless another line dates the label
    assert _got(["WALTER BELL 1936"], "recordedBy") == "Walter Bell"
    assert _got(["WALTER BELL 1936"], "recordNumber") is None
    assert _got(["WALTER BELL 1756", "July 1, 1936"], "recordNumber") == "1756"
    assert _got(["GEORGE V. NASH 1756", "June 3, 1901"], "recordedBy") == "George V. Nash"
    assert _got(["BRITTON 1912"], "recordedBy") is None  # a surname alone and a year: no collector


def test_a_couples_titles_stay_with_their_one_name() -> None:
    found = find_collectors("Oct. 30, 1965 Coll. Dr. & Mrs. A. J. Bell, Z. Iwata & I. Yoshi")
    assert found is not None and found.cued
    assert found.names == ["Dr. & Mrs. A. J. Bell", "Z. Iwata", "I. Yoshi"]
    assert find_collectors("Coll. Dr. A. Bell & Mrs. C. Bell").names == ["Dr. A. Bell", "Mrs. C. Bell"]


def test_a_lower_case_coll_without_its_dot_opening_the_line_is_a_cue() -> None:
    found = find_collectors("coll John Rosalind")
    assert found is not None and found.cued and found.names == ["John Rosalind"]
    assert find_collectors("collection of mosses") is None


def test_uncued_collector_and_number_before_a_determiner_on_one_line() -> None:
    # "A. Bell 1234   det. C. Dunn": the collector and number, then the determiner, on one line
    fields = extract_fields(["Cladonia cristatella", "On soil, Rosaville", "Ann Bell 1234   det. Carl Dunn"])
    assert fields["recordedBy"].value == "Ann Bell"
    assert fields["recordNumber"].value == "1234"
    assert fields["identifiedBy"].value == "Carl Dunn"
    # a year after the name is no number: the line stays the determination's
    fields = extract_fields(["Cladonia cristatella", "On soil, Rosaville", "Ann Bell 1990 det. Carl Dunn"])
    assert "recordedBy" not in fields or not fields["recordedBy"].value


def test_date_first_then_names_in_capitals_and_number() -> None:
    # the date opening the line, then the collector and number: "AUG 12 1974  ANN BELL 1234"
    found = find_collectors("AUG 12 1974  ANN BELL 1234")
    assert found is not None and found.names == [smart_title("ANN BELL")]
    fields = extract_fields(["Parmelia sulcata", "On bark, Rosaville", "AUG 12 1974  ANN BELL 1234"])
    assert fields["recordNumber"].value == "1234"
    # and before a determiner on the same line
    fields = extract_fields(["Parmelia sulcata", "On bark, Rosaville", "12 Aug 1974 A. Bell 1234 Det. C. Dunn"])
    assert fields["recordedBy"].value == "A. Bell"
    assert fields["recordNumber"].value == "1234"


def test_the_name_after_a_herbarium_abbreviation_is_its_owner_not_the_collector() -> None:
    # "Hb. C. Dunn" on a packet: the herbarium it came from; no collector on the label
    for owner in ("Hb. C. Dunn", "ex Hb. C. Dunn", "HB. CARL DUNN"):
        fields = extract_fields([owner, "Parmelia sulcata", "On bark, Rosaville", "12 Aug 1974"])
        assert "recordedBy" not in fields or not fields["recordedBy"].value, owner
    fields = extract_fields(["Hb. C. Dunn", "Parmelia sulcata", "On bark, Rosaville", "A. Bell 1234", "12 Aug 1974"])
    assert fields["recordedBy"].value == "A. Bell"


@pytest.mark.parametrize("caption", ["Determined by", "Distributed by", "TLC by", "Verified by:", "Annotated by"])
def test_names_under_a_caption_of_another_role_are_no_collector(caption: str) -> None:
    # the caption alone on its line, its value on the next: "Determined by" / "Carl Dunn"
    fields = extract_fields(["Parmelia sulcata", "On bark, Rosaville", "12 Aug 1974", caption, "Carl Dunn"])
    assert "recordedBy" not in fields or not fields["recordedBy"].value
    fields = extract_fields(["Parmelia sulcata", "On bark, Rosaville", "12 Aug 1974", "Collected by", "Ann Bell"])
    assert fields["recordedBy"].value == "Ann Bell"


def test_a_determiner_caption_beside_the_collector_caption_is_no_name() -> None:
    # a form's captions side by side: "Collector: Ann Bell   Determiner: Carl Dunn"
    fields = extract_fields(
        ["Parmelia sulcata", "On bark, Rosaville", "Collector: Ann Bell   Determiner: Carl Dunn", "12 Aug 1974"]
    )
    assert fields["recordedBy"].value == "Ann Bell"
    assert fields["identifiedBy"].value == "Carl Dunn"
    # the captions alone on their line, the values under them: never "Determiner" for a name
    fields = extract_fields(
        ["Parmelia sulcata", "On bark, Rosaville", "Collector        Determiner", "Ann Bell        Carl Dunn"]
    )
    assert "Determiner" not in (fields["recordedBy"].value if "recordedBy" in fields else "")


@pytest.mark.parametrize("other", ["TLC: Carl Dunn", "Herb. Carl Dunn", "ex herb. Carl Dunn", "Chem.: Carl Dunn"])
def test_another_role_after_the_collector_and_number_on_one_line(other: str) -> None:
    # "Ann Bell 1234   TLC: Carl Dunn": the collector and number, then the chemist or the herbarium
    fields = extract_fields(["Parmelia sulcata", "On bark, Rosaville", f"Ann Bell 1234   {other}", "12 Aug 1974"])
    assert fields["recordedBy"].value == "Ann Bell"
    assert fields["recordNumber"].value == "1234"


def test_vidit_is_a_determiner_cue() -> None:
    # "vid. C. Dunn": seen (and named) by C. Dunn, not collected
    fields = extract_fields(["Parmelia sulcata", "On bark, Rosaville", "12 Aug 1974", "vid. C. Dunn"])
    assert "recordedBy" not in fields or not fields["recordedBy"].value
    fields = extract_fields(["Parmelia sulcata", "On bark, Rosaville", "Ann Bell", "12 Aug 1974", "vid. C. Dunn"])
    assert fields["recordedBy"].value == "Ann Bell"


def test_a_year_beside_another_person_is_no_number_of_the_collector() -> None:
    # "Ann Bell" the collector; "C. Dunn 1990" below the date: an annotation's year, not Ann Bell's number
    fields = extract_fields(["Parmelia sulcata", "On bark, Rosaville", "Ann Bell", "12 Aug 1974", "C. Dunn 1990"])
    assert fields["recordedBy"].value == "Ann Bell"
    assert "recordNumber" not in fields


@pytest.mark.parametrize("cue", ["Coll./Det.", "leg./det.", "leg. det.", "Det./leg."])
def test_collected_and_determined_written_with_a_slash_or_nothing_between(cue: str) -> None:
    fields = extract_fields(["Parmelia sulcata", "On bark, Rosaville", f"{cue} Ann Bell 1234", "12 Aug 1974"])
    assert fields["recordedBy"].value == "Ann Bell"
    assert fields["recordNumber"].value == "1234"


@pytest.mark.parametrize(
    ("line", "names", "number"),
    [
        ("Bell #1234", ["Bell"], "1234"),  # one surname and "#": a collector's number, never a herbarium's
        ("Bell # 1234", ["Bell"], "1234"),
        ("Bell, A. #1234", ["A. Bell"], "1234"),  # a name turned round, its number cued
        ("BELL, A. No. 1234", ["A. Bell"], "1234"),
    ],
)
def test_a_surname_and_its_cued_number(line: str, names: list[str], number: str) -> None:
    lines = ["LICHENS OF TENNESSEE", "Parmelia sulcata Taylor", "On oak bark near Rosaville.", line, "June 12, 1964"]
    assert _got(lines, "recordedBy") == " | ".join(names)
    assert _got(lines, "recordNumber") == number


@pytest.mark.parametrize("line", ["Sample #1234", "Tree #1234", "Photo # 1234", "Kew, No. 1234"])
def test_a_numbered_thing_is_no_surname(line: str) -> None:
    assert find_collectors(line) is None


@pytest.mark.parametrize(
    ("line", "names", "number"),
    [
        ("Coll. A Bell 1234", ["A. Bell"], "1234"),  # the initials' stops lost by the reader
        ("Leg. A C Bell No. 1234", ["A. C. Bell"], "1234"),
        ("Coll.: A Bell", ["A. Bell"], None),
    ],
)
def test_initials_without_their_stops_after_a_cue(line: str, names: list[str], number: str | None) -> None:
    found = find_collectors(line)
    assert found is not None and found.names == names
    assert find_record_number(line, after=found.end) == number


def test_bare_initials_before_another_name_are_left() -> None:
    assert find_collectors("Coll. A Bell, C Dunn") is None  # whose initials are whose is not sure


@pytest.mark.parametrize("line", ["Col1ector: A. Bell", "Collcctor: A. Bell", "Coilector:A. Bell"])
def test_a_misread_collector_caption_with_its_colon(line: str) -> None:
    found = find_collectors(line)
    assert found is not None and found.cued and found.names == ["A. Bell"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Coll. 12 June 1964, A. Bell", ["A. Bell"]),  # the cue, the date, then the names after its comma
        ("Collected June 4, 1932, A. Bell & C. Dunn", ["A. Bell", "C. Dunn"]),
    ],
)
def test_the_date_between_the_cue_and_the_names(line: str, names: list[str]) -> None:
    found = find_collectors(line)
    assert found is not None and found.cued and found.names == names
    assert find_collectors("Coll. 12 June 1964, Rosaville") is None  # a place after the date, no one's name


@pytest.mark.parametrize("line", ["Bell, A. & Dunn, C. 1234", "BELL, A.; DUNN, C. No. 1234"])
def test_several_names_turned_round_and_their_number(line: str) -> None:
    found = find_collectors(line)
    assert found is not None and found.names == ["A. Bell", "C. Dunn"]
    assert find_record_number(line, after=found.end) == "1234"


def test_collected_by_alone_takes_the_name_under_it() -> None:
    lines = ["LICHENS", "Parmelia sulcata Taylor", "Elmwood Co.", "Collected by", "A. Bell"]
    assert _got(lines, "recordedBy") == "A. Bell"  # not the county above the caption
    assert find_collectors("Elmwood Co.") is None  # a county's (or a company's) word is no one's name


def test_a_bare_number_whose_first_one_was_read_as_an_ell() -> None:
    found = find_collectors("A. Bell l234")
    assert found is not None and find_record_number("A. Bell l234", after=found.end) == "1234"
    found = find_collectors("A. Bell lake")
    assert found is None or find_record_number("A. Bell lake", after=found.end) is None


def test_a_capital_no_whose_stop_was_read_as_a_comma() -> None:
    assert find_record_number("A. Bell No, 1234") == "1234"
    assert find_record_number("A. BELL NO, 1234") == "1234"


def test_a_name_in_capitals_with_its_suffix() -> None:
    found = find_collectors("ALBERT BELL, JR. 1234")
    assert found is not None and found.names == ["Albert Bell, Jr."]
    assert find_record_number("ALBERT BELL, JR. 1234", after=found.end) == "1234"


@pytest.mark.parametrize(("line", "name"), [("A, Bell 1234", "A. Bell"), ("A. C, Bell 1234", "A. C. Bell")])
def test_an_initials_stop_read_as_a_comma(line: str, name: str) -> None:
    found = find_collectors(line)
    assert found is not None and found.names == [name]
    assert find_record_number(line, after=found.end) == "1234"
    assert find_collectors("N, Elmton 1234") is None  # a bearing before a place, perhaps


_NAMED = ["THE ELMTON BOTANICAL GARDEN", "EXPLORATION OF ROSAVILLE", "Spigelia anthelmia L.", "COPPICE NEAR ELMTON",
          "NO.8924", "{line}", "low on sand dune", "FEBRUARY 4-5, 1910"]  # fmt: skip


@pytest.mark.parametrize("line", ["Ipigelia Gutheluia", "Spigelia Anthelmia"])
def test_the_binomial_written_again_is_no_collector(line: str) -> None:
    got = {k: f.value for k, f in extract_fields([x.format(line=line) for x in _NAMED]).items()}
    assert got["scientificName"].startswith("Spigelia anthelmia") and "recordedBy" not in got


def test_a_bare_persons_name_beside_the_binomial_is_still_the_collector() -> None:
    got = {k: f.value for k, f in extract_fields([x.format(line="Lisa Standley") for x in _NAMED]).items()}
    assert got["recordedBy"] == "Lisa Standley"


@pytest.mark.parametrize(
    ("line", "term", "name"),
    [("Coll. Jean-Pierre Dupont 45", "recordedBy", "Jean-Pierre Dupont"),
     ("Determined by Ching-I Peng 1981", "identifiedBy", "Ching-I Peng"),
     ("Det. Kuo-Chen Yang 1990", "identifiedBy", "Kuo-Chen Yang")],
)  # fmt: skip
def test_a_hyphenated_given_name_is_part_of_the_name(line: str, term: str, name: str) -> None:
    assert _got([line], term) == name


@pytest.mark.parametrize("line", ["Saint-Jean Baptiste", "San Juan Bautista", "Sainte-Anne Elmton"])
def test_a_saints_place_alone_on_its_line_is_no_person(line: str) -> None:
    assert _got([line], "recordedBy") is None


@pytest.mark.parametrize("line", ["Piedra del Aguacate.", "Sabana de la Mar", "Potrero Grande", "Rancho Elmo"])
def test_a_spanish_place_words_name_above_the_collectors_line_is_no_person(line: str) -> None:
    lines = ["Herb of hillsides in pine woods.", line, "Coll. R. A. & E. S. Elmwood 9350", "Sept. 9, 1946"]
    assert _got(lines, "recordedBy") == "R. A. & E. S. Elmwood"
    assert _got([line, "Elm Pond", "21 July 2019"], "recordedBy") is None


def test_a_project_misread_letter_by_letter_is_no_collector() -> None:
    assert _got(["Floca Progect", "Elm Pond, Rosaville", "21 July 2019"], "recordedBy") is None
    assert _got(["Forrest Rivera", "Elm Pond, Rosaville", "21 July 2019"], "recordedBy") == "Forrest Rivera"


_TWO_CARDS = ["Jahn L. Elmson", "J72000 RSA", "VACCINIUM MYRTILLUS L.", "Spruce forest floor", "22 August 1961",
              "Joan Rosaline"]  # fmt: skip


def test_of_two_bare_collectors_the_one_on_the_dated_card_is_the_labels() -> None:
    assert _got(_TWO_CARDS, "recordedBy", [0, 0, 1, 1, 1, 1]) == "Joan Rosaline"
    assert _got(_TWO_CARDS, "recordedBy", [0, 0, 0, 0, 0, 0]) == "Jahn L. Elmson"  # one card: the first, as before


def test_a_cued_collector_off_the_dated_card_stands() -> None:
    lines = ["Coll. Jahn L. Elmson", *_TWO_CARDS[1:]]
    assert _got(lines, "recordedBy", [0, 0, 1, 1, 1, 1]) == "Jahn L. Elmson"


# a run-on label (one paragraph: place, collector and number, date) wraps inside the collector's name
_RUN_ON = [
    "PLANTS OF CUBA",
    "Capraria biflora L.",
    "MATANZAS: entre Cárdenas y Varadero, junto a la finca",
    "llamada Robledo, a unos 25 m, en manigua",
    "costera bien desarrollada, sobre substrato calizo, Ver-",
    "gara Llosa 10689 & Ortiz Prado, 21-VI-1988.",
]


def test_a_collector_wrapped_inside_his_name_is_read_whole() -> None:
    assert _got(_RUN_ON, "recordedBy") == "Vergara Llosa"
    assert _got(_RUN_ON, "recordNumber") == "10689"
    assert _got(_RUN_ON, "locality").endswith("sobre substrato calizo")  # the name's head is no place


@pytest.mark.parametrize(
    "lines",
    [
        ["costera bien desarrollada, sobre substrato calizo, ver-", "gara llosa 10689, 21-VI-1988."],  # no name
        ["costera bien desarrollada, sobre substrato calizo, Ver-", "Gara Llosa 10689, 21-VI-1988."],  # two words
    ],
)
def test_a_word_cut_at_a_lines_end_is_put_back_only_before_its_lower_case_rest(lines: list[str]) -> None:
    assert _got(lines, "recordedBy") in (None, "Gara Llosa")


@pytest.mark.parametrize("head", ["of", "near", "at", "the"])
def test_names_on_a_line_that_goes_on_with_the_sentence_above_are_no_collector(head: str) -> None:
    lines = ["PLANTS OF MASSACHUSETTS", "Erica alba L.", "ELM CO: Rosaville, woods on the farm",
             f"{head} John Elmwood", "12 May 1931"]  # fmt: skip
    assert _got(lines, "recordedBy") is None
    assert _got(lines, "locality").endswith(f"farm {head} John Elmwood")


def test_a_bare_name_line_in_capitals_or_after_by_is_still_a_collector() -> None:
    base = ["PLANTS OF MASSACHUSETTS", "Erica alba L.", "ELM CO: Rosaville, roadside"]
    assert _got([*base, "By Walter Kiener", "12 May 1931"], "recordedBy") == "Walter Kiener"
    assert _got([*base, "Walter Kiener", "12 May 1931"], "recordedBy") == "Walter Kiener"


@pytest.mark.parametrize(
    ("lines", "collector", "number"),
    [
        # a county's name is no person, whatever number follows it; the collector is on his own line
        (["ONTARIO: Comté de Renfrew no. 2, along the river", "2 June 1988", "Anne B. Carter 4471"],
         "Anne B. Carter", "4471"),
        # the degrees of a coordinate whose sign was lost are no collector's number
        (["PIMA COUNTY: 2 km N of Madera Lodge, 31 43'10\"N,", "110 52'W. 3 May 1976", "R. T. Lang 2210"],
         "R. T. Lang", "2210"),
        # names that go on with the sentence of the line above are a place's
        (["on limestone ledges of the", "Mancos Shale.", "12 Aug. 1981", "J. P. Dorn"], "J. P. Dorn", None),
    ],
)  # fmt: skip
def test_place_names_that_look_like_people_give_way_to_the_collector(
    lines: list[str], collector: str, number: str | None
) -> None:
    assert _got(lines, "recordedBy") == collector
    assert _got(lines, "recordNumber") == number


@pytest.mark.parametrize(
    ("line", "names", "number"),
    [
        ("WSW of Castle Peak, 36 40'51\"N", None, None),
        ("E. F. Lane 36", ["E. F. Lane"], "36"),
        ("E. F. Lane 236 40 m", ["E. F. Lane"], "236"),
    ],
)
def test_the_degrees_of_a_coordinate_are_no_record_number(line: str, names: list[str] | None, number: str | None) -> None:
    found = find_collectors(line)
    if names is None:
        assert found is None or find_record_number(line, after=found.end) is None
        return
    assert found is not None and found.names == names
    assert find_record_number(line, after=found.end) == number


_TAXONOMY = ["Sabatia stellaris Pursh", "Sabatia campestris Nutt.", "Spigelia anthelmia L.", "Spigelia marilandica L."]


def _reader_fields(name_line: str) -> dict[str, str]:
    """The fields as the reader leaves them: the rules' over the lines, then the taxonomy's name set."""
    index = TaxonIndex(_TAXONOMY)
    lines = ["HERBARIUM OF THE UNIVERSITY OF ELMTON", name_line, "Salt marsh near Rosaville", "March 3, 1970"]
    fields = extract_fields(lines, index)
    set_taxon_fields(fields, resolve_taxon(lines, index), index, lines)
    return {k: f.value for k, f in fields.items()}


@pytest.mark.parametrize("line", ["Babalia Stellanis Pursh", "Iabatia Atellaria Pursch"])
def test_the_taxonomys_name_misread_on_its_line_is_no_collector(line: str) -> None:
    got = _reader_fields(line)
    assert got["scientificName"] == "Sabatia stellaris Pursh" and "recordedBy" not in got


@pytest.mark.parametrize(
    ("line", "collector"),
    [("Lisa Standley", "Lisa Standley"), ("Babalia Stellanis Pursh Coll. Lisa Standley", "Lisa Standley")],
)
def test_a_persons_name_by_the_taxonomys_name_is_still_the_collector(line: str, collector: str) -> None:
    assert _reader_fields(line).get("recordedBy") == collector
