"""A place written on another field's line: before the collecting date, after the collector. Lines made up."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("ELMTON, May 5-13, 1920", "ELMTON"),
        ("Elmton, May 5, 1920.", "Elmton"),
        ("Rosaville, 200 m, Jan. 1927", "Rosaville, 200 m"),
    ],
)
def test_a_place_before_the_collecting_date_on_its_line(line: str, place: str) -> None:
    assert read(["PLANTS OF HAITI", "Elmia rosea Bell", line, "C. Dunn 12"])["locality"] == place


def test_a_name_before_the_date_with_no_collector_read_elsewhere_is_no_place() -> None:
    assert "locality" not in read(["Elmia rosea Bell", "Bell, May 5, 1920"])


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("A. Bell 1234, near Elmton, Jan. 1920", "near Elmton"),
        ("A. Bell 1234, Elmton, St. Ann, Jan. 1920", "Elmton, St. Ann"),
        ("C. Dunn No. 55. Rosaville, Feb. 1925", "Rosaville"),
        ("Coll. A. Bell, 1856, in Cuba Orientali.", "in Cuba Orientali"),
    ],
)
def test_a_place_after_the_collector_number_and_date_on_their_line(line: str, place: str) -> None:
    assert read(["PLANTS OF HAITI", "Elmia rosea Bell", line])["locality"] == place


@pytest.mark.parametrize("line", ["A. Bell 1234, Jan. 1920, Cuba", "A. Bell 1234, Flowers White, May 1920"])
def test_a_country_or_a_description_after_the_collector_is_no_locality(line: str) -> None:
    assert "locality" not in read(["Elmia rosea Bell", line])


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("Shrub 2 m, flowers white, common in thickets at Elmton.", "common in thickets at Elmton"),
        ("Tree 10 m; fruit red; along river near Rosaville.", "along river near Rosaville"),
        ("Herb, flowers yellow, in pasture, Elmton.", "Elmton"),
    ],
)
def test_a_description_line_ending_on_the_place_gives_its_last_clause(line: str, place: str) -> None:
    assert read(["Elmia rosea Bell", line, "A. Bell 12", "1920"])["locality"] == place


def test_a_description_line_ending_on_a_latin_name_gives_no_place() -> None:
    assert "locality" not in read(["Elmia rosea Bell", "Shrub 2 m, flowers white, Elmia rosea.", "A. Bell 12", "1920"])


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("Elmton, Prov. Rosa.", "Elmton, Prov. Rosa"),
        ("Elmton, Dept. Rosa", "Elmton, Dept. Rosa"),
        ("Alrededores de Elmton, Edo. Rosa", "Alrededores de Elmton, Edo. Rosa"),
    ],
)
def test_a_town_and_its_division_named_with_its_word_are_the_place(line: str, place: str) -> None:
    assert read(["Elmia rosea Bell", line, "Coll. A. Bell 12", "1920"])["locality"] == place


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("Arredores de Rosaville.", "Arredores de Rosaville"),
        ("Matorral en las afueras de Elmton.", "Matorral en las afueras de Elmton"),
        ("Entre Elmton y Rosaville.", "Entre Elmton y Rosaville"),
        ("Estrada para Rosaville, km 5.", "Estrada para Rosaville, km 5"),
    ],
)
def test_a_town_s_surroundings_or_road_in_spanish_or_portuguese_is_the_place(line: str, place: str) -> None:
    assert read(["Elmia rosea Bell", line, "Col. C. Dunn 12", "1952"])["locality"] == place


@pytest.mark.parametrize(
    ("line", "place"),
    [("Hab. ad Rosaville, in Cuba", "ad Rosaville, in Cuba"), ("Hab. in Cuba: Rosaville", "in Cuba: Rosaville")],
)
def test_an_old_label_s_hab_caption_before_a_proper_name_placed_by_a_word(line: str, place: str) -> None:
    assert read(["Elmia rosea Bell", line, "Leg. C. Dunn 12", "1901"])["locality"] == place


@pytest.mark.parametrize("line", ["HAB. Everglow", "Hab. Cuba."])
def test_a_word_alone_or_a_country_after_hab_is_no_locality(line: str) -> None:
    assert "locality" not in read(["Elmia rosea Bell", line, "Leg. C. Dunn 12", "1901"])


def test_collected_at_a_place_before_the_date_gives_the_place() -> None:
    lines = ["PLANTS OF CUBA", "Elmia rosea Bell", "Collected at Rosaville, Jan. 1920", "A. Bell 12"]
    assert read(lines)["locality"] == "Collected at Rosaville"


def test_a_town_and_its_country_alone_on_a_line_give_the_place() -> None:
    assert read(["Elmia rosea Bell", "Elmton, Haiti.", "A. Bell 1234", "1920"])["locality"] == "Elmton, Haiti"


def test_a_town_and_country_under_a_herbarium_s_name_is_its_address() -> None:
    lines = ["Elmton Botanical Garden Herbarium", "Rosaville, Jamaica", "Elmia rosea Bell", "A. Bell 1234", "1920"]
    assert "locality" not in read(lines)


@pytest.mark.parametrize("header", ["PLANTS OF CUBA", "FLORA OF PUERTO RICO"])
def test_a_town_s_name_alone_under_the_collection_s_header_is_the_place(header: str) -> None:
    assert read([header, "Elmton", "Elmia rosea Bell", "A. Bell 1234", "May 5, 1920"])["locality"] == "Elmton"


@pytest.mark.parametrize("word", ["Compositae", "Quercus", "Duplicate"])
def test_a_family_a_genus_or_a_stamp_s_word_under_the_header_is_no_place(word: str) -> None:
    assert "locality" not in read(["PLANTS OF CUBA", word, "Elmia rosea Bell", "A. Bell 1234", "May 5, 1920"])


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("Port Elmo.", "Port Elmo"),
        ("Insula Elmia, ad litora.", "Insula Elmia, ad litora"),
        ("Elmton to Rosaville.", "Elmton to Rosaville"),
    ],
)
def test_a_port_an_island_in_latin_or_a_stretch_between_towns_is_the_place(line: str, place: str) -> None:
    assert read(["JAMAICA", "Elmia rosea Bell", line, "A. Bell 1234", "1920"])["locality"] == place


def test_puerto_rico_is_a_country_not_a_port() -> None:
    assert "locality" not in read(["Elmia rosea Bell", "Puerto Rico.", "A. Bell 1234", "1920"])


def test_a_number_a_town_and_its_country_before_the_date_give_the_town_and_country() -> None:
    lines = ["Elmia rosea Bell", "No. 1234. Rosaville, Cuba. Jan. 1920.", "A. Bell"]
    assert read(lines)["locality"] == "Rosaville, Cuba"


def test_a_town_then_the_ground_there_is_the_place() -> None:
    lines = ["ITER MEXICANUM", "Elmia rosea Bell", "Rosaville, in rupibus.", "Leg. C. Dunn 12", "1890"]
    assert read(lines)["locality"] == "Rosaville, in rupibus"


def test_a_note_s_word_under_the_header_is_no_place() -> None:
    assert "locality" not in read(["PLANTS OF CUBA", "Planted.", "Elmia rosea Bell", "A. Bell 1234", "May 5, 1920"])


def test_a_place_opening_the_collector_s_line_before_the_initials_is_the_place() -> None:
    lines = ["FLORA OF CUBA", "Elmia rosea Bell", "Vicinity of Elmton, A. Bell 44, May 1912"]
    assert read(lines)["locality"] == "Vicinity of Elmton"


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("Rosaville, Prov. Elmo, 300 m.", "Rosaville, Prov. Elmo, 300 m"),
        ("Elmton, Jamaica, 1500 ft.", "Elmton, Jamaica, 1500 ft"),
        ("Dry slopes above Rosaville, 800 m.", "Dry slopes above Rosaville, 800 m"),
        ("Rosaville, 2500 m. alt.", "Rosaville, 2500 m. alt"),
    ],
)
def test_a_place_then_its_elevation_ending_the_line_is_the_place(line: str, place: str) -> None:
    assert read(["Elmia rosea Bell", line, "A. Bell 12", "1910"])["locality"] == place


def test_a_plant_s_height_is_no_elevation_of_a_place() -> None:
    assert "locality" not in read(["Elmia rosea Bell", "Shrub, 2 m.", "A. Bell 12", "1910"])


def test_a_place_after_the_collector_and_his_date_is_the_locality_when_no_line_holds_one() -> None:
    # the names in capitals on the line, title-cased in the field
    lines = ["Plantae Cubenses Wrightianae.", "Erica ligustrina Sw.", "Coll. C. WRIGHT, 1856-7, in Cuba Orientali."]
    got = read(lines)
    assert got["locality"] == "in Cuba Orientali" and got["recordedBy"] == "C. Wright"
    lines = ["PLANTS OF CUBA", "Erica ligustrina Sw.", "Coll. A. Bell 1234, 3 May 1902, near Elmton Bay"]
    assert read(lines)["locality"] == "near Elmton Bay"


@pytest.mark.parametrize(
    "lines",
    [
        ["PLANTS OF CUBA", "Erica sp.", "Coll. A. Bell 1234, in herb. Elmton"],  # the herbarium it is kept in
        ["PLANTS OF CUBA", "Erica sp.", "Coll. A. Bell 1234, 3 May 1902, in Flower"],  # the plant's state
        ["PLANTS OF CUBA", "Erica sp.", "Coll. A. Bell 1234, in Fruit and Flower"],
        ["PLANTS OF CUBA", "Erica sp.", "Coll. A. Bell 1234, in Erica alba"],  # a plant's name
    ],
)
def test_no_place_after_the_collector_where_it_is_no_place(lines: list[str]) -> None:
    assert "locality" not in read(lines)


def test_a_place_line_of_its_own_wins_over_the_place_after_the_collector() -> None:
    lines = ["PLANTS OF CUBA", "Erica sp.", "Near Elmton, roadside thicket.", "Coll. A. Bell 1234, in Cuba Orientali"]
    assert read(lines)["locality"] == "Near Elmton, roadside thicket"
