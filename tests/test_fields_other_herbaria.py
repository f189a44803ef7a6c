"""Conventions of herbaria whose labels no rule was first written for (the Field Museum's sheets from Africa, the
Andes, Greenland and Cuba, bench/fieldmuseum_set.py): French, Spanish and Portuguese forms' captions are field
names, never a place, and their cued values are read; old and French country names; a country's name wrapped;
the places before the country; a determiner's cue misread; the associated species after "With:"; an authorship
glued. Made-up names and places throughout."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.places import country_code


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


@pytest.mark.parametrize("caption", ["Herbier: ELMTON", "Pays: Gabon", "Territoire: Rosa", "Famille: ASTERACEAE",
                                     "Secteur: Nord", "Herbario: ELM"])  # fmt: skip
def test_a_forms_captioned_line_is_no_part_of_the_locality(caption: str) -> None:
    assert read([caption, "Localité: Elmvale"])["locality"] == "Elmvale"


@pytest.mark.parametrize(
    ("line", "state", "code"),
    [("Province: Sud-Kivu", "Sud-Kivu", "CD"), ("Département: Ouémé", "Ouémé", "BJ"), ("Estado: Oaxaca", "Oaxaca", "MX"),
     ("Prov. Sud-Kivu", "Sud-Kivu", "CD")],
)  # fmt: skip
def test_a_captioned_division_on_a_label_that_names_no_country(line: str, state: str, code: str) -> None:
    got = read([line, "Localité: Elmvale"])
    assert (got.get("stateProvince"), got.get("countryCode")) == (state, code)
    assert "country" not in got  # the label does not print it (ocr.country_from_state writes it)


@pytest.mark.parametrize(
    ("line", "who"),
    [("Récolteurs: A. B. et C. Dunn", "A. B. & C. Dunn"), ("Leg. A. B. y C. Dunn", "A. B. & C. Dunn"),
     ("Coll. A. B. and C. D. Dunn 12", "A. B. & C. D. Dunn"), ("Coll. A. Bell et C. Dunn", "A. Bell | C. Dunn")],
)  # fmt: skip
def test_initials_joined_by_a_word_share_the_surname_after_them(line: str, who: str) -> None:
    assert read(["Elmia rosea Bell", line])["recordedBy"] == who  # not "C. Dunn" alone


@pytest.mark.parametrize(
    ("value", "code"),
    [("Congo Free State", "CD"), ("R.D. Congo", "CD"), ("Congo-Kinshasa", "CD"), ("Congo Belge", "CD"),
     ("Moyen-Congo", "CG"), ("Congo", "CG"), ("Guinea Ecuatorial", "GQ"), ("Fernando Po", "GQ")],
)  # fmt: skip
def test_the_two_congos_and_their_neighbours_as_labels_name_them(value: str, code: str) -> None:
    assert country_code(value) == code


def test_a_countrys_name_wrapped_at_the_lines_end_is_read_whole() -> None:
    got = read(["Elmia rosea Bell", '"Rosa Camp," Bahr el Elm, Elm Enclave, Congo Free', "State"])
    assert got["countryCode"] == "CD"  # not "Congo" (CG) of the first line alone
    assert got["locality"] == '"Rosa Camp," Bahr el Elm, Elm Enclave, Congo Free State'
    got = read(["Locality Elm River Station, Rosa Park", "Jamaica W.I.", "Habitat C.2200 Ft. Alt."])
    assert "Habitat" not in got["locality"]  # a country whole on its line: nothing joined to it


@pytest.mark.parametrize(
    ("line", "locality"),
    [("Rosa Camp, Bahr el Elm, Kenya", "Rosa Camp, Bahr el Elm, Kenya"), ("Elmvale, Kenya.", "Elmvale, Kenya"),
     ("A. Bell, Kenya", None), ("District de Elm, Québec, Canada", None), ("Herbarium, Kenya", None),
     ("Elmvale, Lima, Peru", None)],  # a division of the country: its own term
)  # fmt: skip
def test_places_before_the_country_on_its_line_are_the_locality(line: str, locality: str | None) -> None:
    assert read(["Elmia rosea L.", line, "Coll. C. Dunn 12"]).get("locality") == locality


def test_a_determiners_cue_with_its_dot_read_as_a_comma() -> None:
    got = read(["PLANTS OF ELMIA", "Elmia rosea Bell", "Det, A.B. Dunn", "Rosa Park. Vicinity of Camp Elm."])
    assert got["identifiedBy"] == "A.B. Dunn"
    assert got["locality"] == "Rosa Park. Vicinity of Camp Elm"  # the determiner's line is none of it


def test_the_associated_species_after_a_with_caption_are_no_locality() -> None:
    got = read(["MOSSES OF ELMIA", "Elmia rosea Bell", "Elm Lake, along the shore", "With: Rosaria alba (L.) Dunn"])
    assert got["locality"] == "Elm Lake, along the shore"
    assert "locality" not in read(["MOSSES OF ELMIA", "Elmia rosea Bell", "With: Rosaria alba (L.) Dunn"])


@pytest.mark.parametrize("line", ["Elmia rosea (DUNN.)BELL.", "Elmia rosea (Dunn.)Bell."])
def test_a_parenthesised_author_glued_to_the_next_is_the_names_authorship(line: str) -> None:
    got = read(["MOSSES OF ELMIA", line, "Elmvale", "With: Rosaria alba (L.) Dunn"])
    assert got["scientificName"] == "Elmia rosea (Dunn.) Bell."  # not the associated species below, read whole


@pytest.mark.parametrize("line", ["With: Rosaria alba (L.) Dunn", "Growing with Rosaria alba (L.) Dunn"])
def test_an_associated_species_is_not_the_labels_name(line: str) -> None:
    assert "scientificName" not in read(["MOSSES OF ELMIA", "Elmvale", line])


@pytest.mark.parametrize(
    ("header", "code"),
    [("PLANTAE GUINEAE AEQUATORIALIS", "GQ"), ("Plantae Congolenses", "CD"), ("FLORA CAPENSIS", "ZA"),
     ("Plantae Abyssinicae", "ET"), ("PLANTAE GUINEAE", None)],
)  # fmt: skip
def test_an_african_countrys_latin_name_in_a_collections_header(header: str, code: str | None) -> None:
    assert read([header, "Elmia rosea Bell", "ELMVALE: near the river, A. Dunn 12"]).get("countryCode") == code


@pytest.mark.parametrize("close", ["»,", "”,", '",', "»"])
def test_the_collector_and_number_after_an_exsiccatas_quotation(close: str) -> None:
    got = read(["PLANTAE ROSAE AB HORTO ELMENSI DISTRIBUTAE", "Carex elmensis Bell",
                f"ROSA: «Elmvale, finca las Moras, 8 m. Bosque secundario{close} Dunnaway 2102,", "26-VII-1986."])  # fmt: skip
    assert (got.get("recordedBy"), got.get("recordNumber"), got.get("eventDate")) == ("Dunnaway", "2102", "1986-07-26")


@pytest.mark.parametrize("tail", ["», Elmvale 2102 m,", "», Bell 2102 and more", "», Plot 2102,", '" Box 1234'])
def test_what_follows_a_quotation_is_no_collector_unless_it_is_a_name_and_number_alone(tail: str) -> None:
    assert "recordedBy" not in read(["Carex elmensis Bell", f"«Bosque secundario{tail}", "26-VII-1986."])


@pytest.mark.parametrize(("last", "number"), [("N:48", "48"), ("N: 48", "48"), ("N:45°", None), ("N:2201108", None)])
def test_a_french_forms_number_with_the_ring_of_its_cue_read_as_a_colon(last: str, number: str | None) -> None:
    got = read(["FLORE DU PARC NATIONAL DE ROSA", "Localité: Elmvale", "Date de récolte: 05. 04. 2003", last])
    assert got.get("recordNumber") == number


ANNOTATION = ["Elmton Museum of Natural History", "Carex elmensis Bell", "Ann B. Roe", "March 2006"]
FERN_LABEL = ["FLORA OF MISSOURI", "Carex rosea Dunn", "Limestone ledges along Otter Creek", "No. 6626",
              "Sept. 4, 1938", "JULIAN A. STEYERMARK, COLLECTOR"]  # fmt: skip


def test_an_annotation_slip_without_a_cue_dates_the_determination_not_the_collection() -> None:
    got = read(ANNOTATION + FERN_LABEL)
    assert (got["eventDate"], got.get("dateIdentified"), got.get("identifiedBy")) == ("1938-09-04", "2006-03", "Ann B. Roe")
    unread = read(ANNOTATION + [line.replace("1938", "1O38") for line in FERN_LABEL])  # the label's year unread
    assert "eventDate" not in unread and unread.get("dateIdentified") == "2006-03"


@pytest.mark.parametrize("institution", ["Elmton Museun of Natural History", "Elmton Universlty Herbarlum"])
def test_a_slips_institution_misread_by_a_letter_still_heads_a_slip(institution: str) -> None:
    unread = read([institution, *ANNOTATION[1:], *(line.replace("1938", "1O38") for line in FERN_LABEL)])
    assert "eventDate" not in unread and unread.get("dateIdentified") == "2006-03"


def test_a_collections_header_over_a_name_and_a_month_heads_a_label_not_a_slip() -> None:
    got = read(["Herbarium of the University of Elmton", "Carex elmensis Bell", "Elmvale", "June 1921"])
    assert got.get("eventDate") == "1921-06" and "dateIdentified" not in got


@pytest.mark.parametrize("stamp", ["OCT 2 6 1990", "DEC 1 8 1975"])
def test_a_rubber_date_stamp_with_its_days_digits_apart_is_no_collection_date(stamp: str) -> None:
    assert "eventDate" not in read(["Ex HERBIER E. ROSA", stamp, "In sylvis Elmvaliae", "Thos. C. Bell"])
    assert read(["PLANTS OF MEXICO", stamp, "Nayarit: Isabel Island", "29 April 1973"])["eventDate"] == "1973-04-29"


@pytest.mark.parametrize(
    ("cued", "number"),
    [
        ("Na 8179", "8179"),  # the "o" of "No." read as an "a" at a thumbnail's size
        ("Na. 22206", "22206"),
        ("Nm.16275", "16275"),  # the "ú" of "Núm." lost
        ("Nam..1525", "1525"),  # or read as an "a"
        ("Na. 6)", None),  # one digit after a misread cue: a number cut short, not given
    ],
)
def test_a_number_cue_misread_at_a_thumbnails_size_still_cues_its_number(cued: str, number: str | None) -> None:
    got = read(["HERBARIO DEL COLEGIO DE LA SALLE", cued, "Col. Bro. Alain", "Fecha Aug. 23, 1950"])
    assert got.get("recordNumber") == number
    got = read(["HERBARIO DEL COLEGIO DE LA SALLE", f"Col. Bro. Alain {cued}", "Fecha Aug. 23, 1950"])
    assert got.get("recordNumber") == number
