"""Locality conventions of labels of any herbarium and decade: the old `Hab.` caption, place words of Spanish,
Portuguese, French and German labels, a place sentence after the plant's description, coordinates that open
the locality, an elevation line under it, a province line over it. All label lines made up."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.label import misread_header


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


def test_a_hab_caption_that_names_a_place_gives_the_locality() -> None:
    lines = ["FLORA OF JAMAICA", "Hab. Moist woods near Elmford, St. Ann Parish. Alt. 1500 ft.", "Coll. A. Bell No. 12"]
    assert read(lines)["locality"] == "Moist woods near Elmford, St. Ann Parish. Alt. 1500 ft."
    lines = ["FLORA OF PUERTO RICO", "Erica sp.", "Hab. In forest, Sierra de Pinos, 600 m.", "Coll. A. Bell 44"]
    assert read(lines)["locality"] == "In forest, Sierra de Pinos, 600 m."


def test_a_hab_caption_of_habitat_alone_or_beside_a_locality_caption_is_no_locality() -> None:
    assert "locality" not in read(["Erica sp.", "Hab. Sandy soil.", "A. Bell 12"])
    assert "locality" not in read(["Erica sp.", "Habitat: moist woods along stream", "A. Bell 12"])
    lines = ["Erica sp.", "Hab. Woods near Elmford.", "Loc. near Rosaville", "A. Bell 12"]
    assert read(lines)["locality"] == "near Rosaville"


def test_place_words_of_other_languages_and_plurals_mark_a_place_line() -> None:
    lines = ["Collected by A. B. Bell", "No. 342. Date 3 Jan 1921", "Isle of Elms, Nueva Rosa"]
    assert read(lines)["locality"] == "Isle of Elms, Nueva Rosa"
    lines = ["PLANTAS DE CUBA", "Bletia purpurea (Lam.) DC.", "Cerro de Pinos, cerca de Rosales", "A. Bell 2345"]
    assert read(lines)["locality"] == "Cerro de Pinos, cerca de Rosales"
    lines = ["Plantae Elmenses", "Prov. Rosales: Sierra de Pinos, 1200 m s.n.m.", "A. Bell & C. Dunn 25012"]
    assert read(lines)["locality"] == "Prov. Rosales: Sierra de Pinos, 1200 m s.n.m"


def test_a_place_sentence_after_the_plants_description_on_its_line() -> None:
    lines = ["FLORA OF ELMIA", "Croton sp.", "Shrub 2 m; flowers yellow. Along stream near Rosaville, 550 m.", "A. Bell 4431"]
    assert read(lines)["locality"] == "Along stream near Rosaville, 550 m"
    lines = ["Erica arborea L.", "Tallo corto; las flores verdosas. En", "un charco, Valle Rosa, San Elmo.", "A. Bell 9"]
    assert read(lines)["locality"] == "En un charco, Valle Rosa, San Elmo"
    lines = ["Erica sp.", "Shrub 2 m; flowers yellow. Leaves glabrous.", "A. Bell 9"]
    assert "locality" not in read(lines)


def test_coordinates_that_open_the_locality_before_a_semicolon_are_kept() -> None:
    lines = ["PLANTS OF ELMIA", "Croton sp.", "18°05'N, 77°20'W; along trail N of Rosaville; moist forest.", "A. Bell 9"]
    assert read(lines)["locality"] == "18°05'N, 77°20'W; along trail N of Rosaville"


def test_an_elevation_alone_on_the_line_under_the_locality_goes_with_it() -> None:
    lines = ["Erica arborea L.", "Tall, 10 m high; glumes green. On roadside, near Rosaville.", "Altura 2100 m.-", "A. Bell 9"]
    assert read(lines)["locality"] == "On roadside, near Rosaville. Altura 2100 m.-"


def test_a_province_line_over_the_locality_heads_it() -> None:
    lines = ["EXPLORATION OF ELMIA", "PROVINCE OF ROSALES", "5847", "RIO VERDE", "A. BELL", "COLLECTORS"]
    assert read(lines)["locality"] == "PROVINCE OF ROSALES RIO VERDE"
    lines = ["EXPLORATION OF ELMIA", "PROVINCE OF ROSALES", "PLANTS COLLECTED IN ELM ISLANDS", "A. Bell 12"]
    assert read(lines).get("locality") != "PLANTS COLLECTED IN ELM ISLANDS"  # a header, no place


def test_a_parish_or_province_heading_the_locality_sentence_is_kept_as_written() -> None:
    lines = ["PLANTS OF DOMINICA", "Quercus rugosa Née", "ST. PAUL PARISH. Road above Rosaville, near the hotel.", "A. Bell 128"]
    assert read(lines)["locality"] == "ST. PAUL PARISH. Road above Rosaville, near the hotel."


def test_a_sentence_ends_after_an_elevation_in_feet_before_the_plants_abundance() -> None:
    lines = [
        "PLANTS OF DOMINICA",
        "Quercus rugosa Née",
        "ST. PAUL PARISH. Road above Rosaville,",
        "above the hotel. Rosaville, elevation ca.",
        "300 ft. Locally common, partly",
        "erect emergent herb.",
        "A. Bell 128",
    ]
    assert read(lines)["locality"] == "ST. PAUL PARISH. Road above Rosaville, above the hotel. Rosaville, elevation ca. 300 ft"


def test_a_parish_line_that_ends_the_locality_sentence_is_kept() -> None:
    lines = ["PLANTS OF JAMAICA", "Quercus rugosa Née", "Vicinity of Rosaville,", "Portland Parish.", "A. Bell 209"]
    assert read(lines)["locality"] == "Vicinity of Rosaville, Portland Parish."
    lines = ["PLANTS OF JAMAICA", "Quercus rugosa Née", "Vicinity of Rosaville.", "Portland Parish.", "A. Bell 209"]
    assert read(lines)["locality"] == "Vicinity of Rosaville"  # the sentence ended: the parish is its own term


def test_plural_and_spanish_feature_words_and_a_vegetation_sentence_after_the_locality() -> None:
    lines = ["PLANTS OF CUBA", "Quercus rugosa Née", "Lomas de Rosales, en el monte.", "A. Bell 300"]
    assert read(lines)["locality"] == "Lomas de Rosales, en el monte"
    lines = ["Quercus rugosa Née", "Elm Creek Road near Rosaville. Low, xerophytic forest on", "serpentine.", "A. Bell 9"]
    assert read(lines)["locality"] == "Elm Creek Road near Rosaville"


def test_a_sentence_of_the_place_with_its_coordinates_after_a_full_stop_goes_on_with_the_locality() -> None:
    lines = [
        "Bambusa vulgaris Schrad.",
        "Culms golden-orange; stamens pale.Rosales: Bo. Pinas Alta.",
        "Pinas Forest Reserve. 18°04'39\"N,",
        "66°54'23\"W, Alt. 185m. Planted along",
        "road to Campamento Pinas at Quebrada",
        "Verde. Low, xerophytic forest on",
        "A. Bell 6097",
    ]
    assert read(lines)["locality"] == (
        "Rosales: Bo. Pinas Alta. Pinas Forest Reserve. 18°04'39\"N, 66°54'23\"W, Alt. 185m. Planted along road to"
        " Campamento Pinas at Quebrada Verde"
    )


def test_a_place_line_after_a_hab_line_is_the_locality_instead() -> None:
    lines = ["PLANTS OF VERMONT", "Quercus rubra L.", "Habitat: Rich woods near Elm Brook.", "Windsor County: Town of Rosaville"]
    assert read(lines + ["A. Bell 1"])["locality"] == "Town of Rosaville"
    lines = ["LICHENS OF MAINE", "Cladonia rangiferina (L.) Weber", "Hab.: on soil near Elm Pond", "Oxford Co., Rosaville"]
    assert read(lines + ["A. Bell 2"])["locality"] == "Rosaville"
    lines = ["FLORA OF JAMAICA", "Quercus rubra L.", "Hab. Moist woods near Elmford,", "St. Ann Parish. Alt. 1500 ft."]
    assert read(lines + ["Coll. A. Bell 3"])["locality"] == "Moist woods near Elmford, St. Ann Parish. Alt. 1500 ft."


def test_an_institutions_line_naming_its_town_is_no_locality() -> None:
    assert "locality" not in read(["MUSEO DE HISTORIA NATURAL, SIERRA DE PINOS", "Quercus rubra L.", "A. Bell 3"])


def test_a_spanish_place_sentence_after_an_elevation_in_metres() -> None:
    lines = ["Quercus rubra L.", "Flores blancas; arbusto de 2 m. Cerca de Rosales, orilla del río.", "A. Bell 6"]
    assert read(lines)["locality"] == "Cerca de Rosales, orilla del río"


def test_locality_captions_of_more_languages_and_a_habitat_caption_on_the_same_line() -> None:
    for caption in ("Località:", "Localidade:", "Lokalitet:", "Vindplaats:", "Fundort:"):
        lines = ["Quercus rubra L.", f"{caption} Rosaville, Elm Park", "A. Bell 4"]
        assert read(lines)["locality"] == "Rosaville, Elm Park"
    assert read(["Quercus rubra L.", "Loc. Rosaville. Hab. dry woods.", "A. Bell 3"])["locality"] == "Rosaville."


def test_a_place_under_a_county_line_that_ends_with_a_colon() -> None:
    lines = ["LICHENS OF FLORIDA", "Lecanora elmensis Smith", "MONROE COUNTY:", "Elm Point.", "Feb 1898.", "COLLECTED BY A. Bell 412"]
    assert read(lines)["locality"] == "Elm Point"


def test_a_place_line_over_a_collected_by_caption_is_no_collector() -> None:
    lines = ["LICHENS OF SOUTH CAROLINA", "Lecanora elmensis Smith", "Rosa Canal.", "COLLECTED BY H. W. Bell", "1857"]
    assert read(lines)["locality"] == "Rosa Canal"


def test_a_herbariums_ex_herb_line_is_no_place_sentence() -> None:
    lines = ["PLANTS OF BRAZIL", "Quercus rubra L.", "Ex Herb. Jardim Botânico do Rio de Pinos", "A. Bell 1"]
    assert "locality" not in read(lines)


def test_a_habitat_captions_sentence_running_on_is_not_the_locality_under_it() -> None:
    lines = ["PLANTS OF ONTARIO", "Cetraria elmensis Smith", "Habitat On side of a huge damp",
             "shaded talus boulder at bottom of gorge.", "Locality NW. corner of Elm L., 16 km. NNW. of",
             "Rosaville Twp.", "Date", "24 July 1972"]  # fmt: skip
    assert read(lines)["locality"] == "NW. corner of Elm L., 16 km. NNW. of Rosaville Twp"


def test_a_habitat_caption_ended_by_a_semicolon_leaves_the_next_sentence_to_the_locality() -> None:
    lines = ["Quercus rubra L.", "Habitat: Locally common tree; growing with", "Pinus ponderosa, Abies concolor;",
             "located near Highway 52, 9 miles inside of Elm", "National Forest boundary.", "Collector: A. Bell"]  # fmt: skip
    assert read(lines)["locality"].startswith("located near Highway 52")


@pytest.mark.parametrize("word", ["SRYOPHTTES", "SRYOPITTES", "CRYPTOGAIMS"])
def test_a_series_header_with_its_first_word_misread_is_no_locality(word: str) -> None:
    lines = ["LICHENS", f"{word} OF ELMWOOD NATIONAL PARK", "No.84", "ALECTORIA",
             "Trail to Mount Rosa Lookout, Flathead County, Mont.", "Coll: H. Bell", "July 3, 1939"]  # fmt: skip
    assert read(lines)["locality"] == "Trail to Mount Rosa Lookout"


@pytest.mark.parametrize("word", ["PROVINCE", "REPUBLIC", "MARSHES", "HEATHS"])
def test_a_place_word_before_of_is_no_misread_series_header(word: str) -> None:
    assert misread_header(f"{word} OF ELMWOOD") is None


def test_a_place_line_under_a_series_header_is_the_locality() -> None:
    lines = ["LICHENS OF MICHIGAN", "Alectoria", "Au Rosa", "Alger County", "coll. A.J. Bell", "19 July 1954"]
    assert read(lines)["locality"] == "Au Rosa"
    lines[0] = "Lichens"  # no header that names where: a line of two words is not taken alone
    assert read(lines).get("locality") != "Au Rosa"


def test_a_town_and_its_state_alone_are_the_locality_as_written() -> None:
    lines = ["RELIQUIAE ELMIANAE", "3. Alectoria jubata Ach.", "Rosaville,Massachusetts", "Coll. & det. A. Bell"]
    assert read(lines)["locality"] == "Rosaville,Massachusetts"
    lines[2] = "Region Rosaville, Tn"  # a form's caption before the town: not taken as written
    assert read(lines).get("locality") != "Region Rosaville, Tn"


def test_a_phrase_of_the_spot_before_the_town_and_its_state_is_the_locality_as_written() -> None:
    lines = ["Impatiens capensis Meerb.", "From small wet ground border, Rosaville, R.I.", "A. Bell", "DATE 25 July 82"]
    assert read(lines)["locality"] == "From small wet ground border, Rosaville, R.I"
    lines[1] = "Greenhouse grown , Elmton,TN"
    assert read(lines)["locality"] == "Greenhouse grown, Elmton"  # (the postal code: the state's term)
    lines[1] = "Region Elmton, Tn"  # a form's caption before the town, no phrase of the spot
    assert "locality" not in read(lines)


def test_a_town_named_in_the_headers_line_heads_the_locality() -> None:
    lines = ["Plants of Connecticut, Town of Rosaville", "Quercus rubra L.", "Litchfield County: Elm Hill Road,"]
    assert read(lines + ["Collector: A. Bell s.n."])["locality"] == "Town of Rosaville Elm Hill Road"
    lines[0] = "Plants of Connecticut"
    assert read(lines + ["Collector: A. Bell s.n."])["locality"] == "Elm Hill Road"


def test_an_empty_locality_caption_takes_the_place_written_above_it_never_its_dots() -> None:
    lines = ["TENNESSEE", "Lichens", "Actinogyra elmii (Ach.) Schol.", "White Rocks", "Loc...", "Coll..", "A. J. Bell"]
    assert read(lines)["locality"] == "White Rocks"
    lines[3] = "12 Nov. 1939"
    assert read(lines).get("locality", "TENNESSEE") == "TENNESSEE"  # no dots for a locality


def test_latin_and_german_words_for_near_make_a_place_not_a_scientific_name() -> None:
    got = read(["PLANTAE CUBENSES", "Prov. Oriente: prope Rosalia", "Coll. A. Bell 12"])
    assert got["locality"] == "Prov. Oriente: prope Rosalia" and "scientificName" not in got
    got = read(["Elmtal bei Rosenheim", "Coll. A. Bell 12"])
    assert got["locality"] == "Elmtal bei Rosenheim" and "scientificName" not in got


def test_a_journeys_latin_title_and_a_french_region_are_no_collectors() -> None:
    assert "recordedBy" not in read(["Iter Hispanicum", "Moyen Atlas", "Quercus ilex L.", "12 May 1920"])


def test_a_county_with_its_word_under_a_series_header_is_no_place_name() -> None:
    lines = ["Elmia rosea Bell", "LICHENS OF NORTH AMERICA", "State", "North Carolina", "County Elmwood", "A. Bell No. 12"]
    assert "locality" not in read(lines)


def test_a_peak_is_a_place_word() -> None:
    assert read(["Elmia rosea Bell", "Summit of Rosa Peak", "A. Bell 12", "June 3, 1950"])["locality"] == "Summit of Rosa Peak"
    lines = ["FLORA LICHENES", "By A. Bell", "Elm Valley National Park", "1730 Elmia rosea Bell", "On exposed rocks.",
             "Rosas Peak.", "Sept. 14, 1934."]  # (the peak's line, two capitalised words, first read as a name)
    assert read(lines)["locality"] == "Elm Valley National Park Rosas Peak"


def test_a_place_written_before_a_determiners_cue_on_its_line() -> None:
    lines = ["Lichens from the Elm Herbarium", "Verrucaria rosea Bell", "Coll. A. Bell", "Rosa Canal, S.C. Det. C. Dunn", "1857"]
    assert read(lines)["locality"] == "Rosa Canal, S.C"
    lines = ["Verrucaria rosea Bell", "Coll. A. Bell", "Elmia alba Dunn Det. C. Dunn", "1857"]
    assert "locality" not in read(lines)  # (the taxon the determiner named, not a place)


def test_a_headings_place_that_the_written_locality_names_again_is_not_joined_to_it() -> None:
    lines = ["LICHENES ARCTICI", "ELM TERRITORIES", "Rosa Lake", "88. Elmia rosea Bell", "Timber Bay, west side of",
             "Rosa Lake.", "July 16, 1962", "A. Bell & C. Dunn"]
    assert read(lines)["locality"] == "Timber Bay, west side of Rosa Lake"
    lines = ["LICHENES ARCTICI", "ELM TERRITORIES", "Rosa Lake", "88. Elmia rosea Bell", "Timber Bay, west side of",
             "Elm Pond.", "July 16, 1962", "A. Bell & C. Dunn"]
    assert read(lines)["locality"].startswith("Rosa Lake")  # (named once: the heading stays as it was read)


def test_a_collected_in_sentence_wrapped_before_a_place_line_begins_the_locality() -> None:
    lines = ["PLANTS OF ELMIA", "Elmia rosea Bell", "Collected in the Rosa Hills of the Cen-",
             "tral Elm Range, .5 km E of Elm Lake at 635 m; moist tundra.", "Number: 87-26", "A. Bell"]
    assert read(lines)["locality"] == "Rosa Hills of the Cen-tral Elm Range, .5 km E of Elm Lake at 635 m"
    lines = ["Elmia rosea Bell", "Collected in the Rosa Mountains near Elmton", "A. Bell 12"]
    assert read(lines)["locality"] == "Rosa Mountains near Elmton"


def test_a_measure_broken_after_the_fourth_line_keeps_its_unit() -> None:
    lines = ["CRYPTOGAMS OF ELMIA", "Elmia rosea Bell", "Along Elm Road, from", "Rosa Park, through", "Elm Park, to",
             "Pine Bay Park, ca. 13", "km SW of Elmton; moist forest.", "A. Bell 12"]
    assert read(lines)["locality"] == "Along Elm Road, from Rosa Park, through Elm Park, to Pine Bay Park, ca. 13 km SW of Elmton"


def test_a_forms_site_caption_ends_the_location_blank() -> None:
    lines = [
        "FLORA OF ALASKA",
        "Cetraria islandica Ach.",
        "Location: Elm River Road; Marlow NWR",
        "Lat/Long: 60°28'N, 151°00'W",
        "Elevation: 120 ft.",
        "Site:",
        "Lowland spruce and heath",
        "Sphagnum fuscum bog",
        "Coll: J. Smith",
    ]
    assert read(lines)["locality"] == "Elm River Road; Marlow NWR"


@pytest.mark.parametrize(
    "title", ["A. BELL: PLANTAE PORTORICENSES.", "A. BELL: PLANTAE PORTORICESSES", "A. Bell: Plantae Rosavillanae"]
)  # (a letter before the Latin plural's ending misread)
def test_a_series_title_in_latin_after_the_collectors_name_is_no_place(title: str) -> None:
    lines = [title, "Elmia rosea L.", "No. 389"]
    assert "locality" not in read(lines)
    lines.insert(2, "Rosaville, along the shore.")
    assert read(lines)["locality"] == "Rosaville, along the shore"


def test_a_ground_and_a_town_after_the_plants_description_wrapped_onto_the_next_line() -> None:
    lines = ["Elmia rosea L.", "Trailing; flowers violet and white. Waste", "grounds, Rosaville.", "April 30, 1964", "A. Bell"]
    assert read(lines)["locality"] == "Waste grounds, Rosaville"


def test_a_herbariums_address_under_its_name_is_not_the_locality() -> None:
    lines = [
        "JARDIN BOTANICO NACIONAL",
        "46950",
        "CALLE ROSA, ELMTON, DISTRITO NACIONAL, REPUBLICA DOMINICANA",
        "Elmia rosea L.",
        "Arbusto de 2 m.",
        "Rep. Dominicana: Prov. Marlow: 4 km al N de Elmton.",
        "A. Bell 123",
    ]
    assert read(lines)["locality"] == "Rep. Dominicana: Prov. Marlow: 4 km al N de Elmton"
    lines[0] = "PLANTS FROM ELM TROPICAL GARDEN"  # a header that says where the plants grew
    lines[5] = "Arbusto de 3 m."
    assert read(lines)["locality"] == "CALLE ROSA, ELMTON, DISTRITO NACIONAL, REPUBLICA DOMINICANA"


def test_a_region_and_its_dash_before_the_place_and_its_colon_and_a_word_broken_before_the_date() -> None:
    lines = ["A. Bell: Lichenes Elmiae selecti exsiccati", "No.13 Lecanora elmensis Smith",
             "Douro Litoral — Elmeira de Sousa : Rosal do Salto, ad rupes apri-", "cas. 19-XII-1947", "Leg. J. Smith"]  # fmt: skip
    assert read(lines)["locality"] == "Douro Litoral — Elmeira de Sousa : Rosal do Salto, ad rupes apri-cas"


def test_a_number_with_its_thousands_comma_under_the_locality_is_the_collectors() -> None:
    lines = ["PLANTS OF JAMAICA", "Elmia rosea L.", "Along the road near Elm Point.", "Alt. 0-20 ft.", "No. 18,186",
             "Collector: A. Bell"]  # fmt: skip
    assert read(lines)["locality"] == "Along the road near Elm Point. Alt. 0-20 ft"


def test_a_forms_short_caption_without_its_stop_before_the_place() -> None:
    """``Loc`` as the reader gives it once a form's dotted leader is painted out of the line (ocr.leaders)."""
    lines = ["FLORA OF MICHIGAN", "Substratum On Jack pine", "Loc Elm Lake, east shore", "Coll A.J. Bell"]
    assert read(lines)["locality"] == "Elm Lake, east shore"
    assert read(["FLORA OF MICHIGAN", "LOC ELM", "Coll A.J. Bell"]).get("locality") != "ELM", "capitals: a word"


@pytest.mark.parametrize("caption", ["Substrate", "Substratu", "Habltat"])
def test_a_forms_caption_misread_by_a_letter_is_no_place_before_its_colon(caption: str) -> None:
    lines = ["Michigan", "FLORA OF ROSAVILLE", "Bryophytes", f"{caption}: On Jack pine..", "Loc Elm Lake, Rosa Co",
             "Coll A.J. Bell", "20 July 1956"]  # fmt: skip
    assert read(lines)["locality"] == "Elm Lake"  # (the county named last is its own term)


def test_a_place_before_its_colon_like_no_caption_is_still_read() -> None:
    lines = ["Michigan", "Bryophytes", "Elmwood: On Jack pine..", "Loc Elm Lake, Rosa Co", "Coll A.J. Bell"]
    assert read(lines)["locality"] == "Elmwood: On Jack pine. Elm Lake"


@pytest.mark.parametrize("caption", ["Locality", "Localty", "Localily"])
def test_a_forms_locality_caption_misread_by_a_letter_still_heads_the_locality(caption: str) -> None:
    lines = ["Middlesex County, Mass,", "Name Geranium maculatum L.", f"{caption} Bot. Garden, Elmton",
             "Collector A. Bell", "May 25, 1898"]  # fmt: skip
    assert read(lines)["locality"] == "Bot. Garden, Elmton"

