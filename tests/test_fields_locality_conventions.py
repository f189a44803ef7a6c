"""Locality conventions: where a locality line is introduced and where it ends. All label lines made up."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


def test_a_sentence_ending_before_coordinates_keeps_its_numbers_and_ends_the_locality() -> None:
    lines = [
        "Erica sp.",
        "Canton Riva: Aldea Monte, along",
        "Route 212 at km 7 (from Rt 21). 12°10'N. ,",
        "86°20'W. 40 m. Old pasture,",
        "windy and bare. Clay soil.",
        "K. Lind 88",
    ]
    assert read(lines)["locality"] == "Canton Riva: Aldea Monte, along Route 212 at km 7 (from Rt 21)."


def test_an_elevation_and_coordinates_written_into_the_sentence_are_kept_as_written() -> None:
    lines = ["Erica sp.", "Along the creek above Pinto", "Mill, 280 m, 12°10'N, 86°20'W.", "K. Lind 88"]
    assert read(lines)["locality"] == "Along the creek above Pinto Mill, 280 m, 12°10'N, 86°20'W."


def test_a_forms_habit_boxes_after_the_locality_caption_are_not_the_locality() -> None:
    lines = ["Erica sp.", "Locality:", "Herb Shrub Tree", "Height 3 m", "Collector: K. Lind"]
    assert "locality" not in read(lines)


def test_a_line_of_vegetation_words_alone_is_habitat() -> None:
    assert "locality" not in read(["Erica sp.", "Vegetation type:", "Moist thicket", "Collector: K. Lind"])


def test_around_a_named_place_and_cultivated_in_a_place_are_locality_cues() -> None:
    lines = ["FLORA OF ELM ISLAND", "Erica sp.", "Area around the Pine Cove Hotel.", "No. 77"]
    assert read(lines)["locality"] == "Area around the Pine Cove Hotel"
    lines = ["Erica sp.", "Cultivated in Tarma, Junin, from seed from", "Lake Rosa. Cerro Azul.", "No. 77"]
    assert read(lines)["locality"] == "Cultivated in Tarma, Junin, from seed from Lake Rosa. Cerro Azul"


def test_a_place_under_an_exploration_header_follows_its_province_line() -> None:
    lines = ["EXPLORATION OF PERU", "PROVINCE OF HUARAZ", "4411", "LAGO VERDE", "Erica arborea L.", "J. KOWALSKI"]
    assert read(lines)["locality"] == "PROVINCE OF HUARAZ LAGO VERDE"
    lines = ["EXPLORATION OF PERU", "PROVINCE OF HUARAZ", "DRY SANDY FLATS, YUNGAY", "Erica arborea L."]
    assert read(lines)["locality"] == "PROVINCE OF HUARAZ DRY SANDY FLATS, YUNGAY"


def test_a_capitals_line_that_goes_on_into_the_next_is_not_a_place_alone() -> None:
    lines = ["EXPLORATION OF PERU", "BLANCA HILLS, YUNGAY", "ARROYO VERDE, 3O0 METERS", "Erica arborea L."]
    assert read(lines)["locality"] == "BLANCA HILLS, YUNGAY ARROYO VERDE, 300 METERS"  # read whole, both lines


def test_a_state_line_alone_with_its_admin_word_is_the_locality() -> None:
    lines = ["FLORA OF BRAZIL.", "STATE OF GOIAS.", "Coll. Dr. A. Moreno, 1902.", "No. 44."]
    assert read(lines)["locality"] == "STATE OF GOIAS"


def test_places_from_the_smaller_to_their_country_are_the_locality_as_written() -> None:
    lines = ["Erica arborea L.", "PLANTS FROM THE ELM GARDEN", "YUNGAY, CARAZ, PROVINCE OF HUARAZ, PERU", "No. 4411"]
    assert read(lines)["locality"] == "YUNGAY, CARAZ, PROVINCE OF HUARAZ, PERU"


def test_an_address_or_a_town_and_its_country_is_not_a_locality() -> None:
    for line in ("Botany Department, Elm University, Lima, Peru", "Lima, Peru"):
        assert "locality" not in read(["Erica arborea L.", line, "No. 4411"])


def test_a_description_clause_wrapping_its_place_onto_the_next_line_begins_the_locality() -> None:
    lines = ["Erica arborea L.", "Low shrub; flowers pink; frequent in old fields, near", "Villa Roja. Alt. 80 m."]
    assert read(lines + ["No. 4411"])["locality"] == "near Villa Roja. Alt. 80 m"
    lines = ["Erica arborea L.", "Low shrub; flowers pink; in grassy", "areas near the river.", "No. 4411"]
    assert "locality" not in read(lines)  # no place named: the plant's habitat


def test_a_habitat_before_a_colon_leaves_the_place_after_it() -> None:
    lines = ["Erica arborea L.", "Low shrub, flowers pink.", "In old pasture: Villa Roja.", "No. 4411"]
    assert read(lines)["locality"] == "Villa Roja"


def test_one_word_in_capitals_right_under_an_expedition_header_is_the_place() -> None:
    assert read(["EXPLORATION OF PERU", "YUNGAY", "NO. 4411", "Erica arborea L."])["locality"] == "YUNGAY"
    assert "locality" not in read(["EXPLORATION OF PERU", "IMAGED", "NO. 4411", "Erica arborea L."])
    assert "locality" not in read(["PLANTS OF PERU", "YUNGAY", "NO. 4411", "Erica arborea L."])


def test_a_barcode_set_between_a_locality_line_stopping_mid_sentence_and_its_end_is_skipped() -> None:
    lines = ["Erica arborea L.", "PINE ISLAND: Elm Head,", "00912345", "opposite Rosa Wells.", "K. Lind 88"]
    assert read(lines)["locality"] == "PINE ISLAND: Elm Head, opposite Rosa Wells"
    lines = ["Erica arborea L.", "VICINITY OF ELMTON", "00912345", "qrtuvia plnsia L", "K. Lind 88"]
    assert read(lines)["locality"] == "VICINITY OF ELMTON"


def test_the_line_limit_does_not_cut_a_sentence_stopping_on_a_word() -> None:
    lines = [
        "Erica arborea L.",
        "Locality: Elm Park, Rosaville, wet ledges",
        "below the old dam on Pike River",
        "and the mill pond, in seepage on",
        "boulders near the spillway, on and",
        "beside the footbridge.",
        "K. Lind 88",
    ]
    assert read(lines)["locality"].endswith("on and beside the footbridge")


@pytest.mark.parametrize("line", ["In woods, Mt. Ossery, 2000 ft.", "Gravel bar near Tolleston, alt. 1850"])
def test_an_altitude_that_reads_like_a_year_stays_in_the_locality(line: str) -> None:
    got = extract_fields(["PLANTS OF THE NORTHERN RANGES", line, "V. Ostrander 4418"])
    assert got["locality"].value == line.rstrip(".")


def test_the_state_named_last_after_the_place_sentence_is_its_own_term() -> None:
    lines = ["LICHENS OF ELMIA", "Alectoria jubata Ach.", "Open face of cliff.", "Across bay from Elm Point, Alaska.",
             "Coll. A. Bell", "24 July 1967"]  # fmt: skip
    fields = read(lines)
    assert fields["locality"] == "Across bay from Elm Point"
    assert fields["stateProvince"] == "Alaska"
    lines[3] = "Hill 624 Quad. Map Elm Island (D-1), Alaska"  # the map sheet's name holds its state
    assert read(lines)["locality"].endswith("(D-1), Alaska")


def test_the_county_named_last_after_the_place_is_its_own_term() -> None:
    lines = ["FLORA OF ELMIA", "Michigan", "Bryophytes", "Loc Elm Lake, Luce Co", "Coll A.J. Bell", "20 July 1956"]
    fields = read(lines)
    assert fields["locality"] == "Elm Lake" and fields["county"] == "Luce"
    lines[3] = "Loc Elm Lake, Luce Co., Rosa Bay"  # the county inside the place: kept as written
    assert read(lines)["locality"] == "Elm Lake, Luce Co., Rosa Bay"


def test_an_exsiccatas_title_is_no_locality() -> None:
    lines = ["Ann Bell: Lichenes rariores exsiccati", "101. Alectoria jubata Ach.", "Mt. Elm, Rosa Mts. On rocks.",
             "Coll.: C. Dunn"]  # fmt: skip
    assert read(lines)["locality"] == "Mt. Elm, Rosa Mts. On rocks"


def test_a_protected_areas_abbreviation_alone_above_the_locality_heads_it() -> None:
    lines = ["FLORA OF ELMIA", "Lichens", "Alectoria jubata Ach.", "EMNP", "Co. Rosa", "Substratum rock",
             "Loc. between Elm Cove and Rosa Mt.", "Coll. A. Bell"]  # fmt: skip
    assert read(lines)["locality"] == "EMNP between Elm Cove and Rosa Mt."
    lines[3] = "EMNP Co."
    assert read(lines)["locality"] == "EMNP between Elm Cove and Rosa Mt."
    for line in ("LICHENS", "CONF."):  # a word in capitals, a determination's "confirmed": no park's abbreviation
        lines[3] = line
        assert read(lines)["locality"] == "between Elm Cove and Rosa Mt."


def test_a_named_places_area_is_a_place_and_the_line_running_on_into_it_begins_it() -> None:
    lines = ["LICHENS OF ELMIA", "Alectoria nigricans (Ach.) Nyl.", "from plot c 12+ 10,", "Rosaville area",
             "coll A. Bell", "24Aug1956"]  # fmt: skip
    assert read(lines)["locality"] == "from plot c 12+ 10, Rosaville area"
    lines[2] = "On soil."
    assert read(lines)["locality"] == "Rosaville area"
    lines[2] = "Picea mariana, Abies balsamea,"  # the plants growing with it: not the place
    assert read(lines)["locality"] == "Rosaville area"
    lines[2] = "On soil."
    for line in ("sandy open area", "Disturbed area", "Sandy area", "Open area"):  # the ground, no place named
        lines[3] = line
        assert "locality" not in read(lines), line


def test_the_park_under_a_national_parks_herbarium_caption_ends_the_locality() -> None:
    lines = ["Name", "Cetraria islandica (L.) Ach.", "LocalityElm beach at Rosa Bay.", "Collector", "A. Bell 16199",
             "Herbarium of", "Herbier du parc national de", "ELMWOOD NATIONAL PARK"]  # fmt: skip
    assert read(lines)["locality"] == "Elm beach at Rosa Bay ELMWOOD NATIONAL PARK"
    lines[6] = "Herbier du jardin botanique de"  # no park's herbarium
    assert read(lines)["locality"] == "Elm beach at Rosa Bay."


def test_a_synonym_in_parentheses_under_the_name_ends_no_locality_and_an_elevation_line_alone_goes_with_it() -> None:
    lines = ["FLORA LICHENES", "By A. Bell", "Elm National Park", "Acarospora elmensis (Wahlb.) Mas.",
             "(Acarospora rosea (Bell.) Trev.)", "On exposed siliceous rocks.", "Rosa Mountain.", "11,700 ft.",
             "Sept. 14, 1934."]  # fmt: skip
    assert read(lines)["locality"] == "Elm National Park Rosa Mountain. 11,700 ft."


def test_a_place_after_the_collectors_number_under_a_flora_header_is_the_locality() -> None:
    head = ["Flora of St. Elm, D. W. Indies.", "Collected by A. H. BELL.", "Capraria biflora, L."]
    assert read([*head, "No. 301 Rosa yard.", "Feb.,1896"])["locality"] == "Rosa yard"
    assert read([*head, "No. 38 Rocky thicket, Elm yard, Rosa.", "Feb.,1896"])["locality"] == "Rocky thicket, Elm yard, Rosa"
    for line in ("No. 301 Quercus alba", "No. 301 Moist thicket."):  # a plant's name, a habitat: no place
        assert "locality" not in read([*head, line, "Feb.,1896"])
    assert "locality" not in read(["Elm College Herbarium", "Collected by A. H. BELL.", "No. 301 Rosa yard."])


def test_coordinates_whose_degree_signs_were_read_as_zeros_end_the_locality() -> None:
    lines = ["Plants of Elmia", "Anthurium elmense Bell", "ELMIA, Rosa. Above new bridge on road to", "Elm Lake.",
             "15019'N,61019W. 765m. Advanced secondary", "montane rainforest.", "A. Bell 776"]  # fmt: skip
    assert read(lines)["locality"] == "ELMIA, Rosa. Above new bridge on road to Elm Lake"


def test_a_name_after_a_divisions_shortened_word_does_not_begin_the_place() -> None:
    # "Prov." is no sentence's end: the place is the line from its first division, not "Rosa: Elmton"
    lines = ["Elmia rosea (L.) A. Bell", "PERU", "Dpto. Cusco, Prov. Rosa: Elmton, 3000 m", "A. Bell 19"]
    assert extract_fields(lines)["locality"].value == "Dpto. Cusco, Prov. Rosa: Elmton, 3000 m"


def test_a_town_and_where_there_under_a_headers_province_line() -> None:
    # "PROVINCE OF ELMIRA" / "Rosaville, in thickets": the province's line alone is not the whole locality
    lines = ["Elmia rosea (L.) A. Bell", "EXPLORATION OF CUBA", "PROVINCE OF HAVANA", "Rosaville, in thickets", "A. Bell 4"]
    assert extract_fields(lines)["locality"].value == "PROVINCE OF HAVANA Rosaville, in thickets"
    lines = ["Elmia rosea (L.) A. Bell", "EXPLORATION OF CUBA", "PROVINCE OF HAVANA", "Rosaville, in thickets, tall", "A. Bell"]
    assert extract_fields(lines)["locality"].value == "PROVINCE OF HAVANA"


def test_a_place_before_a_colon_with_a_french_or_portuguese_particle() -> None:
    lines = ["Elmia rosea (L.) A. Bell", "PLANTS OF HAITI", "Massif du Elm: Rosaville, 800 m", "A. Bell 13"]
    assert extract_fields(lines)["locality"].value == "Massif du Elm: Rosaville, 800 m"
    lines = ["Elmia rosea (L.) A. Bell", "BRASIL", "Serra do Elm: Rosaville, 800 m", "A. Bell 13"]
    assert extract_fields(lines)["locality"].value == "Serra do Elm: Rosaville, 800 m"


def test_a_town_then_its_province_with_its_word_is_the_locality_as_written() -> None:
    lines = ["Elmia rosea (L.) A. Bell", "FLORA DE LA REPUBLICA DOMINICANA", "Elmton, Prov. Azua", "A. Bell 7"]
    fields = extract_fields(lines)
    assert (fields["locality"].value, fields["stateProvince"].value) == ("Elmton, Prov. Azua", "Azua")
    lines = ["Elmia rosea (L.) A. Bell", "PUERTO RICO", "Bosque Estatal de Elmton, Mun. Rosa", "A. Bell 8"]
    fields = extract_fields(lines)
    assert (fields["locality"].value, fields["stateProvince"].value) == ("Bosque Estatal de Elmton, Mun. Rosa", "Rosa")


def test_a_french_massif_heading_the_place_is_its_first_line_not_a_persons_name() -> None:
    lines = ["Elmia rosea (L.) A. Bell", "HAITI", "Massif de la Elme:", "Morne Rosa, 1800 m", "A. Bell 7"]
    assert extract_fields(lines)["locality"].value == "Massif de la Elme: Morne Rosa, 1800 m"


def test_the_island_that_is_the_country_is_the_countrys_line_not_the_localitys() -> None:
    lines = ["Elmia rosea (L.) A. Bell", "ISLA DE CUBA", "Prov. de Pinar del Río", "Sierra de Elmton, pinar", "A. Bell 2"]
    fields = extract_fields(lines)
    assert (fields["country"].value, fields["locality"].value) == ("Cuba", "Prov. de Pinar del Río Sierra de Elmton, pinar")
    lines = ["Elmia rosea (L.) A. Bell", "Island of Jamaica", "St. Ann: Elmton, roadside", "A. Bell 2"]
    assert extract_fields(lines)["locality"].value == "St. Ann: Elmton, roadside"


def test_a_hyphenated_name_before_a_colon_heads_the_place() -> None:
    lines = ["Elmia rosea (L.) A. Bell", "Plants of Guadeloupe", "Basse-Elme: Rosaville", "A. Bell 11"]
    assert extract_fields(lines)["locality"].value == "Basse-Elme: Rosaville"


def test_a_barrio_abbreviated_bo_names_the_place() -> None:
    lines = ["Elmia rosea (L.) A. Bell", "PUERTO RICO", "Mun. Elmton, Bo. Rosaville, 300 m", "A. Bell 13"]
    assert extract_fields(lines)["locality"].value == "Mun. Elmton, Bo. Rosaville, 300 m"


def test_a_town_under_the_province_line_is_read_with_it() -> None:
    lines = ["Elmia rosea (L.) A. Bell", "Rep. Dominicana", "Prov. Santiago", "Elmton, en bosque de pinos", "A. Bell 9"]
    assert extract_fields(lines)["locality"].value == "Rep. Dominicana Prov. Santiago Elmton, en bosque de pinos"


def test_a_substrate_line_under_the_place_is_not_the_locality() -> None:
    head = ["LICHENS OF NORTH CAROLINA", "Parmelia sulcata Taylor", "Macon Co.: Elmton, along Rosa Creek"]
    for substrate in ("On bark of Quercus", "on granite", "Growing on soil", "On Picea"):
        assert read([*head, substrate, "A. Bell 1234", "12 June 1985"])["locality"] == "Elmton, along Rosa Creek"
    lines = ["LICHENS OF MAINE", "Cladonia sp.", "Hancock Co.: Elmton,", "on Rosa Island", "A. Bell 12", "1985"]
    assert read(lines)["locality"] == "Elmton, on Rosa Island"  # a place after "on": the locality goes on


def test_a_substrate_named_first_on_a_line_under_the_place_is_not_the_locality() -> None:
    head = ["LICHENS OF NORTH CAROLINA", "Parmelia sulcata Taylor"]
    for substrate in ("Bark of Quercus", "Sandstone ledge.", "Rock outcrop"):
        lines = [*head, "Macon Co.: Elmton, along Rosa Creek", substrate, "A. Bell 1234"]
        assert read(lines)["locality"] == "Elmton, along Rosa Creek"
    lines = [*head, "Macon Co.: Elmton, along Rosa Creek", "Rock Creek Falls", "A. Bell 1234"]
    assert read(lines)["locality"] == "Elmton, along Rosa Creek Rock Creek Falls"  # a place: it goes on


def test_an_on_line_whose_feature_has_no_name_is_the_substrate() -> None:
    head = ["LICHENS OF ARKANSAS", "Graphis scripta", "Newton Co.: Rosa Hollow, 2 mi. E of Elmton"]
    assert read([*head, "On sandstone bluff", "A. Bell 5"])["locality"] == "Rosa Hollow, 2 mi. E of Elmton"
    got = read([*head, "on bluff above Elm River", "A. Bell 5"])["locality"]
    assert got == "Rosa Hollow, 2 mi. E of Elmton on bluff above Elm River"  # a named place: the locality goes on


def test_a_line_of_common_words_under_the_place_is_the_ground_not_the_locality() -> None:
    head = ["LICHENS OF MAINE", "Verrucaria maura", "Knox Co.: Rosa Island, Penobscot Bay"]
    assert read([*head, "Maritime rocks above high tide", "A. Bell"])["locality"] == "Rosa Island, Penobscot Bay"
    got = read(["LICHENS OF MAINE", "Verrucaria maura", "Knox Co.: Rosa Island, Penobscot", "Bay near the old wharf",
                "A. Bell"])["locality"]  # fmt: skip
    assert got == "Rosa Island, Penobscot Bay near the old wharf"


def test_a_county_line_ending_in_its_states_abbreviation_is_not_joined_to_the_collector_under_it() -> None:
    got = read(["Plants of the Southern Appalachians", "Rosa Bald, Roan Mountain", "Mitchell Co., N.C.", "A. Bell", "1950"])
    assert (got["locality"], got["county"], got["recordedBy"]) == ("Rosa Bald, Roan Mountain", "Mitchell", "A. Bell")


def test_a_county_and_state_taken_from_the_middle_of_the_place_line_leave_one_separator() -> None:
    got = read(["LICHENS OF NEW YORK", "Cladonia sp.", "Elmton, Essex Co., N.Y., Rosa Lake", "A. Bell 12", "1950"])
    assert (got["locality"], got["county"]) == ("Elmton, Rosa Lake", "Essex")


def test_a_sentence_on_the_ground_before_the_place_line_is_not_the_locality() -> None:
    lines = ["LICHENS OF ALASKA", "Cladonia sp.", "Bank of lake, moist, partial shade.", "N. of Elmton Quarry, Rosa Island.",
             "Coll. A. Bell"]  # fmt: skip
    assert read(lines)["locality"] == "N. of Elmton Quarry, Rosa Island"
    lines[2] = "Along the lake shore."  # no word for the ground: the place's own sentence
    assert read(lines)["locality"].startswith("Along the lake shore")


def test_the_place_after_a_county_heading_a_line_with_coordinates_is_kept_with_them() -> None:
    line = "Pima Co.: Santa Catalina Mts., Rosa Canyon, 32°20'N 110°45'W, 1500 m"
    got = read(["LICHENS OF ARIZONA", "Parmelia sp.", line, "On Quercus", "A. Bell", "1950"])
    assert got["locality"] == "Santa Catalina Mts., Rosa Canyon, 32°20'N 110°45'W, 1500 m"
    assert "locality" not in read(["LICHENS OF ARIZONA", "Pima Co.", "On Quercus", "A. Bell", "1950"])


def test_a_line_of_common_words_after_a_line_that_stops_on_a_common_word_goes_on_with_it() -> None:
    lines = ["PLANTS OF MAINE", "Carex sp.", "KNOX CO: Elmton. Around the edges of small ponds",
             "Former gravel quarry on the north side", "A. Bell 5"]  # fmt: skip
    assert read(lines)["locality"].endswith("Former gravel quarry on the north side")


def test_a_line_of_coordinates_alone_after_the_habitat_closes_the_locality() -> None:
    lines = [
        "Erica arborea L.",
        "Rep. Dominicana: Prov. Elmta: Loma Rosa,",
        "subiendo de Elmton; potreros, bosque",
        "secundario, zona húmeda.",
        "19°17'N, 69°18'W, elev. 300-400 m.",
        "Jul. 18, 1984",
        "A. Bell, C. Dunn",
    ]
    got = read(lines)["locality"]
    assert got == "Rep. Dominicana: Prov. Elmta: Loma Rosa, subiendo de Elmton; 19°17'N, 69°18'W, elev. 300-400 m."


def test_a_line_of_coordinates_alone_right_under_the_place_closes_the_locality() -> None:
    # the transcriptions keep the place's position with it ("… road." / "18°27'N, 69°13'W, alt. to 10 m.")
    lines = ["Erica arborea L.", "Loma Rosa, subiendo de Elmton.", "19°17'N, 69°18'W, elev. 300 m.", "A. Bell 12"]
    assert read(lines)["locality"] == "Loma Rosa, subiendo de Elmton. 19°17'N, 69°18'W, elev. 300 m."
    lines[2] = "Lat. 66°10'N., Long. 94°25'W."
    assert read(lines)["locality"] == "Loma Rosa, subiendo de Elmton. Lat. 66°10'N., Long. 94°25'W."
    lines[2:2] = ["Flores blancas."]  # another line between: the position is not the place's
    assert "°" not in read(lines)["locality"]


def test_the_place_before_the_collectors_cue_on_its_line_is_the_locality() -> None:
    lines = ["FLORA OF ELMIA", "Erica arborea L.", "Near Elmton, St. Ann. Coll. A. Bell", "No. 12", "Jan. 5, 1906"]
    got = read(lines)
    assert (got["locality"], got["recordedBy"]) == ("Near Elmton, St. Ann", "A. Bell")
    assert "locality" not in read(["Erica arborea L.", "Shrub 2 m. Coll. A. Bell 445", "Jan. 5, 1956"])


def test_a_region_of_many_countries_alone_under_the_header_is_no_locality() -> None:
    lines = ["FLORA OF THE ELM ISLANDS", "BRITISH WEST INDIES", "Erica arborea L.", "A. Bell 12", "Jan. 1910"]
    assert "locality" not in read(lines)


def test_a_town_and_its_country_after_an_old_labels_hab_caption_is_the_locality() -> None:
    lines = ["HERBARIUM OF ELM COLLEGE", "Erica arborea L.", "Hab. Elmton, Jamaica.", "Coll. A. Bell", "1899"]
    assert read(lines)["locality"].rstrip(".") == "Elmton, Jamaica"
    lines = ["HERBARIUM OF ELM COLLEGE", "Erica arborea L.", "Hab. Sandy soil, Jamaica.", "Coll. A. Bell", "1899"]
    assert "locality" not in read(lines)


def test_a_town_and_its_saints_parish_alone_under_an_expedition_header_is_the_locality() -> None:
    lines = ["EXPLORATION OF ELMIA", "ELMTON, ST. ROSA", "Erica arborea L.", "A. BELL", "COLLECTOR", "JAN. 5, 1908"]
    assert read(lines)["locality"] == "ELMTON, ST. ROSA"


def test_a_region_printed_over_the_place_line_is_not_part_of_the_locality() -> None:
    lines = ["FLORA OF THE ELM ISLANDS", "LEEWARD ISLANDS", "Erica arborea L.", "ELMTA: Rosa Mountain, upper slopes."]
    assert read(lines + ["A. Bell 12345", "12 January 1950"])["locality"] == "ELMTA: Rosa Mountain, upper slopes"


def test_a_place_and_its_elevation_alone_under_the_header_is_the_locality() -> None:
    lines = ["FLORA OF SAINT ELM", "Erica arborea L.", "Rosa Estate, 800 ft.", "A. Bell 12345", "Jan 12, 1925"]
    assert read(lines)["locality"].rstrip(".") == "Rosa Estate, 800 ft"
    lines = ["FLORA OF SAINT ELM", "Erica arborea L.", "Shrub, 2 m.", "A. Bell 12345", "Jan 12, 1925"]
    assert "locality" not in read(lines)  # the plant's height


def test_a_spanish_protected_area_named_with_its_word_is_a_place() -> None:
    lines = ["FLORA DE ELMIA", "Erica arborea L.", "Bosque Estatal de Rosa, Elmton.", "A. Bell 12345", "12 enero 1985"]
    assert read(lines)["locality"].rstrip(".") == "Bosque Estatal de Rosa, Elmton"
    lines = ["FLORA DE ELMIA", "Erica arborea L.", "Reserva Forestal de Rosa, Elmton", "A. Bell 12345", "12 enero 1985"]
    assert read(lines)["locality"] == "Reserva Forestal de Rosa, Elmton"


@pytest.mark.parametrize("place", ["Piedra del Aguacate", "Sabana de Elmo", "Potrero Rosa", "Cerro del Elmo"])
def test_a_spanish_place_word_and_its_name_alone_after_the_description_are_the_locality(place: str) -> None:
    lines = ["Erica arborea L.", "Lavender flowered herb of hillsides", "in pine woods. Plant mixed in with",
             "Pteridium.", f"{place}.", "Coll. R. A. Elmwood 9350", "Sept. 9, 1946"]  # fmt: skip
    got = read(lines)
    assert got["locality"] == place and got["recordedBy"] == "R. A. Elmwood"


def test_french_place_words_before_their_name_are_place_words() -> None:
    for place in ("Forêt de Rosa, au-dessus de Elmton, 600 m", "Habitation Rosa, Elmton", "Environs de Rosa"):
        lines = ["FLORE DE ELMIA", "Erica arborea L.", f"{place}.", "A. Bell 3456", "12 août 1956"]
        assert read(lines)["locality"].rstrip(".") == place
    lines = ["FLORE DE ELMIA", "Erica arborea L.", "Forêt humide, sol argileux.", "A. Bell 3456", "12 août 1956"]
    assert "locality" not in read(lines)


@pytest.mark.parametrize(
    ("lines", "locality"),
    [
        (["Elm County: 2 mi N of Rosaville on Georgia", "Highway 15, 32°34'N, 82°35'W, ca. 80 m; small", "outcrop."],
         "2 mi N of Rosaville on Georgia Highway 15, 32°34'N, 82°35'W, ca. 80 m"),
        (["Elm County: Rosa Springs, along Fla. Hwy.", "121 just N of Elm River, 29°56'N, 82°26'W;", "oak woods."],
         "Rosa Springs, along Fla. Hwy. 121 just N of Elm River, 29°56'N, 82°26'W"),
        (["Elm County: Rosa Scrub State Preserve,", "along Co. Rd. 347 ca. 1.5 mi N of jct of",
          "Fla. Hwy 24, 29°12'N, 83°01'W; dry oak-", "ericad scrub."], "Rosa Scrub State Preserve, along Co. Rd. 347 ca. "
         "1.5 mi N of jct of Fla. Hwy 24, 29°12'N, 83°01'W"),
    ],
)  # fmt: skip
def test_a_state_naming_its_road_stays_in_the_locality_and_its_full_stop_ends_no_sentence(
    lines: list[str], locality: str
) -> None:
    got = read(["LICHENS OF FLORIDA, U.S.A.", "Parmelia sulcata Tayl.", *lines, "4 December 1994", "A. Bell 35959"])
    assert got["locality"] == locality


def test_between_two_places_under_the_county_line_is_the_locality() -> None:
    got = read(["LICHENS OF ARIZONA", "Acarospora flava (Bell.) Ach.", "Cochise Co.", "Between Elmton and Rosaville",
                "Substrate: rock", "Coll. A. Bell", "No. 2369"])  # fmt: skip
    assert got["locality"] == "Between Elmton and Rosaville"


@pytest.mark.parametrize("place", ["LAC ELMO", "Elm Lake", "Rosa River, near Elmton"])
def test_a_named_place_then_its_coordinates_on_a_line_of_their_own_is_the_locality(place: str) -> None:
    got = read(["LICHENS OF QUEBEC", "Alectoria ochroleuca (Ehrh.) Nyl.", f"{place}, Circa 59° 17' N. 73° 25' W.",
                "Tundra.", "12 Aug 1965", "A. Bell 8017"])  # fmt: skip
    assert got["locality"] == f"{place}, Circa 59° 17' N. 73° 25' W."
