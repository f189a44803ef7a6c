"""A herbarium's list of collectors as a prior for recordedBy (herbproc.fields.collectors): people parsed from list
entries, a misread collector set right, one the rules missed found by name, and what must not change."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from herbproc.cli import main
from herbproc.fields.collectors import FOUND, RESPELT, CollectorIndex, apply_collectors, people, person
from herbproc.fields.label import Field
from herbproc.ocr.engines import Reading
from herbproc.ocr.reader import LabelReader
from herbproc.ocr.settings import ocr_settings

LIST = [
    "Lisa A. Standley",
    "Greg Palermo",
    "Elbert L. Little, Jr.",
    "N. L. Britton",
    "E. G. Britton",
    "Walter Kiener",
    "J. Higgins",
    "James Higgins",
    "L. H. Bailey",
    "Philippe Forest",
    "David A. Lovejoy",
]


@pytest.fixture(scope="module")
def listed() -> CollectorIndex:
    return CollectorIndex(LIST)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("Lisa A. Standley", ["Lisa A. Standley"]),
        ("Standley, L. A.", ["Standley, L. A."]),  # surname first
        ("Elbert L. Little, Jr.", ["Elbert L. Little, Jr."]),  # the suffix is no second person
        ("T. Zanoni, J. Pimentel, R. García", ["T. Zanoni", "J. Pimentel", "R. García"]),
        ("A. Smith | B. Jones; C. Brown & D. Green", ["A. Smith", "B. Jones", "C. Brown", "D. Green"]),
        ("Douglas McGrady and Charles Boos", ["Douglas McGrady", "Charles Boos"]),
        ("R. A. & E. S. Howard", ["R. A. Howard", "E. S. Howard"]),  # initials share the surname after them
        ("Stewardson Brown N. L. Britton", ["Stewardson Brown", "N. L. Britton"]),  # two without a separator
        ("Lisa A. B. Standley", ["Lisa A. B. Standley"]),  # ... but one person with two initials stays one
        ("C. Y. Wu & H. Li", ["C. Y. Wu", "H. Li"]),  # surnames of two letters
        ("N.L. BRITTON AND J.F. COWELL", ["N.L. BRITTON", "J.F. COWELL"]),  # a separator in capitals
        ("A. SMITH WITH B. JONES", ["A. SMITH", "B. JONES"]),
        ("J.W.Thomson J.A. Larsen", ["J.W.Thomson", "J.A. Larsen"]),  # initials glued to the first surname
        ("N. L. BRITTON ARTHUR HOLLICK", ["N. L. BRITTON", "ARTHUR HOLLICK"]),  # initials, then a given name
        ("F. De La Rosa", ["F. De La Rosa"]),  # ... but a surname's particles are no given name
        ("A. M. Van Buren", ["A. M. Van Buren"]),
        ("Dr. & Mrs. J. A. Smith", ["Dr. & Mrs. J. A. Smith"]),  # titles alone join the name after them
        ("Mr. and Mrs. R. Jones", ["Mr. and Mrs. R. Jones"]),
        ("F. D. Godman, F.R.S.", ["F. D. Godman"]),  # a society's letters are no given names
        ("A. Gray, Ph.D.", ["A. Gray"]),
        ("Smith, M. D.", ["Smith, M. D."]),  # ... but two initials after a surname are the person's
        ("Geo. R. Lyman", ["Geo. R. Lyman"]),  # a given name written short goes on to the surname
        ("Chas. H. Wright", ["Chas. H. Wright"]),
        # a remark after the surname's dot is no part of the name (Godman sent the specimen)
        ("H. H. & G. W. SMITH. COMM. F. D. GODMAN, F.R.S.", ["H. H. SMITH", "G. W. SMITH"]),
        ("Wiegand", []),  # no given name or initial
        ("bonnie.eamick@gmail.com", []),  # an observer's address in a download
        ("Donna at TheNatureInUs.com", []),
        ("s.n.", []),
        ("", []),
    ],
)
def test_the_people_of_a_list_entry(entry: str, expected: list[str]) -> None:
    assert [p.text for p in people(entry)] == expected


def test_titles_and_joining_words_are_no_given_names() -> None:
    jones = people("Mr. and Mrs. R. Jones")[0]
    assert (jones.initials, jones.surname, jones.form) == ("r", "jones", "i")
    assert people("Dr. &") == [] and people("Dr.") == []


def test_a_person_keys_on_surname_initials_and_form() -> None:
    lisa, short = person("Lisa A. Standley"), person("L.A. Standley")
    assert lisa is not None and short is not None
    assert (lisa.surname, lisa.initials, lisa.form) == ("standley", "la", "wi")
    assert (short.surname, short.initials, short.form) == ("standley", "la", "ii")
    assert person("Bro. Alain H. Liogier").initials == "ah"  # type: ignore[union-attr]  # a title is no name


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("Usa A Standey", "Lisa A. Standley"),  # a thumbnail's reading
        ("Lha A Standiey", "Lisa A. Standley"),
        ("Bibert L. Little, Jr.", "Elbert L. Little, Jr."),
        ("Greg Pelermo", "Greg Palermo"),
        ("DavidA. Lovejoy", "David A. Lovejoy"),  # the space before the initial not read
        ("F. G. Britton", "E. G. Britton"),  # the initials decide between two Brittons
        ("J. Higgins", "J. Higgins"),  # a list may write one person two ways: the reading's form is kept
        ("James Higgins", "James Higgins"),
    ],
)
def test_a_reading_stands_for_the_listed_person_it_is_close_to(
    listed: CollectorIndex, read: str, expected: str
) -> None:
    found = listed.best(person(read))  # type: ignore[arg-type]
    assert found is not None and found[0].text == expected


@pytest.mark.parametrize(
    "read",
    [
        "Ua A Sdey",  # too far
        "J. J. Carter",  # nobody near
        "Lisa Standley",  # another form (no initial): not written as the list's "Lisa A. Standley"
        "N. G. Britton",  # one initial of N. L. Britton's, one of E. G. Britton's: which?
    ],
)
def test_a_reading_far_from_the_list_or_between_two_people_stands_for_nobody(
    listed: CollectorIndex, read: str
) -> None:
    reading = person(read)
    assert reading is not None and listed.best(reading) is None


@pytest.mark.parametrize(
    ("read", "other"),
    [("Tilton Davis", "Camden Davis"), ("Percy Wilson", "Jessica Wilson"), ("Edward Palmer", "Bill Palmer")],
)
def test_a_namesake_with_another_given_name_is_somebody_else(read: str, other: str) -> None:
    # "t davis" is near "c davis" by initials and surname: the given names must be alike too
    assert CollectorIndex([other]).best(person(read)) is None  # type: ignore[arg-type]
    assert CollectorIndex([other, read]).best(person(read))[0].text == read  # type: ignore[arg-type,index]


def test_a_surname_of_two_letters_is_taken_only_as_the_list_writes_it() -> None:
    index = CollectorIndex(["H. H. Li", "C. Y. Wu"])
    assert index.best(person("H. H. Li"))[0].text == "H. H. Li"  # type: ignore[arg-type,index]
    assert index.best(person("C.Y. Wu"))[0].text == "C. Y. Wu"  # type: ignore[arg-type,index]
    for read in ("H. H. Lu", "H. H. Lii", "C. Y. Wn"):  # one letter of two is another surname
        assert index.best(person(read)) is None, read  # type: ignore[arg-type]
    fields: dict[str, Field] = {}
    assert apply_collectors(fields, ["Yunnan: Lijiang", "Coll. C. Y. Wu 1234"], index) == FOUND
    assert fields["recordedBy"].value == "C. Y. Wu" and fields["recordedBy"].line == 1


def test_two_people_about_as_close_are_ambiguous() -> None:
    index = CollectorIndex(["A. B. Smith", "A. B. Smyth"])
    assert index.best(person("A. B. Smeth")) is None  # type: ignore[arg-type]
    assert index.best(person("A. B. Smith")) is not None  # type: ignore[arg-type]


def fields_with(collector: str | None, line: int = 0) -> dict[str, Field]:
    return {} if collector is None else {"recordedBy": Field(collector, 0.9, line)}


def test_a_misread_collector_is_written_as_the_list_writes_them(listed: CollectorIndex) -> None:
    fields = fields_with("Bibert L. Little, Jr. | Greg Pelermo | Nobody Listed")
    assert apply_collectors(fields, ["Bibert L. Little, Jr., Greg Pelermo, Nobody Listed"], listed) == RESPELT
    assert fields["recordedBy"] == Field("Elbert L. Little, Jr. | Greg Palermo | Nobody Listed", 0.9, 0)


@pytest.mark.parametrize("read", ["WALTER KIENER", "Dr. & Mrs. Walter Kiener", "N.L. Britton"])
def test_a_collector_read_right_keeps_the_labels_writing(listed: CollectorIndex, read: str) -> None:
    fields = fields_with(read)
    assert apply_collectors(fields, [read], listed) == ""
    assert fields["recordedBy"].value == read


def test_without_a_list_nothing_changes() -> None:
    fields = fields_with("Bibert L. Little, Jr.")
    apply_collectors(fields, ["Bibert L. Little, Jr."], None)
    apply_collectors(fields, ["Bibert L. Little, Jr."], CollectorIndex([]))
    assert fields["recordedBy"].value == "Bibert L. Little, Jr."


def test_a_listed_collector_the_rules_missed_is_found_on_a_line(listed: CollectorIndex) -> None:
    lines = ["PLANTS OF MAINE", "Alnus viridis (Chaix) DC.", "Steuben, bottom of steep bank",
             "Usa A Standey 4 Auguiet 2019"]  # fmt: skip
    fields: dict[str, Field] = {"scientificName": Field("Alnus viridis", 0.95, 1)}
    assert apply_collectors(fields, lines, listed) == FOUND
    assert fields["recordedBy"].value == "Lisa A. Standley" and fields["recordedBy"].line == 3
    assert 0.85 <= fields["recordedBy"].confidence <= 1.0


def test_no_collector_is_searched_for_where_the_rules_read_one_too_unsure_to_keep(
    listed: CollectorIndex,
) -> None:
    fields: dict[str, Field] = {}
    apply_collectors(fields, ["J.K. SMALL J.J. CARTER", "Usa A Standey 4 Auguiet 2019"], listed, find=False)
    assert fields == {}


def test_several_listed_people_on_the_line_are_found_in_order(listed: CollectorIndex) -> None:
    fields: dict[str, Field] = {}
    apply_collectors(fields, ["Coll. Usa A Standey, Greg Pelermo 12 June 2019"], listed)
    assert fields["recordedBy"].value == "Lisa A. Standley | Greg Palermo"


@pytest.mark.parametrize(
    ("lines", "taxon_line"),
    [
        (["Rubus fulleri L. H. Bailey"], 0),  # the name's authorship
        (["Det. Lisa A. Standley 2020"], None),  # a determiner
        (["Identified by: Lisa A. Standley"], None),
        (["Springfield; Forest Park"], None),  # a place, not "Philippe Forest"
        (["Flora Project Standley"], None),  # no given name
        (["Lisa A. Standley"[:6]], None),
    ],
)
def test_a_listed_name_that_is_no_collector_is_not_found(
    listed: CollectorIndex, lines: list[str], taxon_line: int | None
) -> None:
    fields: dict[str, Field] = {}
    if taxon_line is not None:
        fields["scientificName"] = Field("Rubus fulleri", 0.95, taxon_line)
        fields["scientificNameAuthorship"] = Field("L. H. Bailey", 0.95, taxon_line)
    apply_collectors(fields, lines, listed)
    assert "recordedBy" not in fields


def test_a_list_file_skips_blank_and_comment_lines(tmp_path) -> None:
    path = tmp_path / "collectors.txt"
    path.write_text(
        "# Harvard's collectors\n\nLisa A. Standley\n  \nGreg Palermo; Margaret Curtin\n", "utf-8"
    )
    index = CollectorIndex.from_file(path)
    assert sorted(p.text for p in index.people) == ["Greg Palermo", "Lisa A. Standley", "Margaret Curtin"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no collector in it"),
        (b"# only a comment\nWiegand\n", "no collector in it"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not UTF-8 text"),
    ],
)
def test_a_list_file_that_names_nobody_says_so(tmp_path, content: bytes, message: str) -> None:
    path = tmp_path / "collectors.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        CollectorIndex.from_file(path)


def test_the_setting_names_a_file_that_exists(tmp_path) -> None:
    with pytest.raises(ValueError, match="ocr.collectors_file.*no such file"):
        ocr_settings(collectors_file=str(tmp_path / "missing.txt"))


class ReadsACollector:
    """Every line read as a thumbnail's collector line: the name with three letters wrong."""

    name = "misreading"

    def read(self, crops):
        return [Reading("Usa A Standey 4 Auguiet 2019", 0.8, self.name) for _ in crops]


def printed_sheet() -> np.ndarray:
    page = np.full((1500, 1000, 3), 245, np.uint8)
    cv2.putText(
        page, "Lisa A. Standley 4 August 2019", (120, 1200), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (20, 20, 20), 3
    )
    return page


def test_the_reader_reads_collectors_against_the_settings_list(tmp_path) -> None:
    path = tmp_path / "collectors.txt"
    path.write_text("\n".join(LIST) + "\n", encoding="utf-8")
    without = LabelReader(ocr_settings(barcodes=False), engines=[ReadsACollector()])
    with_list = LabelReader(
        ocr_settings(barcodes=False, collectors_file=str(path)), engines=[ReadsACollector()]
    )
    assert with_list.collectors is not None and len(with_list.collectors) == len(LIST)
    assert without.read(printed_sheet()).darwin_core()["recordedBy"] != "Lisa A. Standley"
    read = with_list.read(printed_sheet())
    assert read.darwin_core()["recordedBy"] == "Lisa A. Standley"
    assert read.collector_source == FOUND and read.to_json()["collector_source"] == FOUND


def test_herbproc_ocr_with_a_list_that_names_nobody_fails_in_one_line(tmp_path, capsys) -> None:
    image = tmp_path / "sheet.png"
    cv2.imwrite(str(image), printed_sheet())
    empty = tmp_path / "collectors.txt"
    empty.write_text("\n", encoding="utf-8")
    for given, message in ((empty, "no collector in it"), (tmp_path / "missing.txt", "no such file")):
        assert main(["ocr", str(image), "--collectors", str(given)]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
