"""dwc:verbatimLocality as written: coordinates and elevation written into the locality's sentence are kept in
their order, a ";" after them begins the habitat, and a form's next caption ends the blank. Lines made up."""

from __future__ import annotations

from herbproc.fields import extract_fields


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


def test_coordinates_and_elevation_in_the_sentence_are_kept_and_the_habitat_after_the_semicolon_is_not() -> None:
    lines = [
        "The Elm Botanical Garden",
        "LICHENS OF NEW YORK STATE, U.S.A.",
        "Lecanora elmensis Smith",
        "Elm County: Elm State Park, along",
        "Birch Road near dam at S end of Lake",
        "Marlow along Seven Hills Drive, 41°11'N, 74°08'W,",
        "ca. 240 m; mixed hardwood-hemlock forest with",
        "granitic erratics.",
        "12 May 2001",
        "J. Smith 1234",
    ]
    assert read(lines)["locality"] == (
        "Elm State Park, along Birch Road near dam at S end of Lake Marlow along Seven Hills Drive, 41°11'N, 74°08'W, "
        "ca. 240 m"
    )


def test_coordinates_wrapped_onto_the_next_line_then_the_habitat() -> None:
    lines = [
        "The Elm Botanical Garden",
        "LICHENS OF FLORIDA, U.S.A.",
        "Elm County: Black Point Swamp, along Co.",
        "Rd. 326 1.1 mi W of Co. Rd. 347, 29°13'N,",
        "83°02'W; hardwood swamp forest.",
        "J. Smith 1234",
    ]
    assert read(lines)["locality"] == "Black Point Swamp, along Co. Rd. 326 1.1 mi W of Co. Rd. 347, 29°13'N, 83°02'W"


def test_an_elevation_wrapped_after_ca_then_the_habitat() -> None:
    lines = [
        "The Elm Botanical Garden",
        "CRYPTOGAMS OF OREGON, U.S.A.",
        "Lecanora elmensis Smith",
        "Elm County: Elm National Forest, Birch",
        "Pass on US 26, Marlow Lake Campground, 45°13'30\"N, 121°42'W, ca.",
        "1200 m; montane Abies-Tsuga forest.",
        "J. Smith 1234",
    ]
    assert read(lines)["locality"] == (
        "Elm National Forest, Birch Pass on US 26, Marlow Lake Campground, 45°13'30\"N, 121°42'W, ca. 1200 m"
    )


def test_a_line_of_coordinates_alone_after_a_sentence_without_a_comma_is_their_own_field() -> None:
    lines = ["PLANTS OF CONNECTICUT", "ELM CO: Elmton. Growing around the", "edges of small ponds", "41.348214°N",
             "-71.996600°W", "J. Smith 1234"]  # fmt: skip
    assert "°" not in read(lines)["locality"]


def test_a_forms_coordinate_caption_ends_the_locality_blank() -> None:
    lines = [
        "FLORA OF ALASKA",
        "Location: Elm Island, Birch Inlet",
        "Oak (A7) Quadrangle",
        "Lat/Long:",
        "60°09'N,152°36'W",
        "Elevation: 1800 Feet",
        "Site:",
        "Low herb snowbed",
        "Coll: J. Smith",
    ]
    assert read(lines)["locality"] == "Elm Island, Birch Inlet Oak (A7) Quadrangle"


def test_a_location_caption_without_its_colon() -> None:
    lines = ["FLORA OF ALASKA", "Lecanora elmensis Smith", "Location Marlow Bay area, Rosa Island, Alaska", "Latitude", "Habitat", "Wet meadow"]
    assert read(lines)["locality"] == "Marlow Bay area, Rosa Island, Alaska"


def test_a_forms_map_quadrangle_line_is_part_of_the_locality_as_written() -> None:
    lines = [
        "FLORA OF ALASKA",
        "Lecanora elmensis Smith",
        "Location:",
        "Marlow Island, Rosa Bay, Cook Inlet;",
        "60°09.3'N, 152°35.4'W",
        "Habitat:",
        "Dwarf shrub heath; slope 5°",
        "Collector: J. Smith",
        "Map/Quad.: Marlow (A-7) Quad.",
        "Date: 13 Sep 1988",
    ]
    assert read(lines)["locality"] == "Marlow Island, Rosa Bay, Cook Inlet; 60°09.3'N, 152°35.4'W Map/Quad.: Marlow (A-7) Quad."


def test_a_location_caption_line_is_no_persons_name_and_a_misread_latitude_caption_ends_it() -> None:
    lines = [
        "FLORA of ALASKA",
        "Lecanora elmensis Smith",
        "Location Marlow NWR",
        "atitude 54o 56.1'N",
        "Elevation 11 ft",
        "Habitat",
        "Dwarf shrub heath",
        "Quad. Map Rosa (C-6) Alaska",
        "Coll. Date 19 July 2003",
        "Collector J. Smith",
    ]
    assert read(lines)["locality"] == "Marlow NWR Quad. Map Rosa (C-6) Alaska"


def test_the_state_and_county_prefix_before_colons_is_left_out() -> None:
    lines = ["Lecanora elmensis Smith", "U. S. A., VIRGINIA: Elm co:, Marlow Interstate Park", "J. Smith 1234"]
    assert read(lines)["locality"] == "Marlow Interstate Park"


def test_a_country_alone_before_its_colon_stays() -> None:
    lines = ["Erica sp.", "Bahamas: Marlow Cay, 2 miles north of Rosa Town.", "J. Smith 1234"]
    assert read(lines)["locality"].startswith("Bahamas: Marlow Cay")


def test_a_substrate_opening_the_locality_is_left_out() -> None:
    assert read(["Lecanora elmensis Smith", "On rock, Marlow River on Hwy. 17", "J. Smith 1234"])["locality"] == (
        "Marlow River on Hwy. 17"
    )
    assert read(["Lecanora elmensis Smith", "On Betula, Marlow Bog", "J. Smith 1234"])["locality"] == "Marlow Bog"


def test_a_host_trees_latin_name_opening_the_locality_is_left_out() -> None:
    assert read(["Lecanora elmensis Smith", "On Pinus resinosa, Marlow Bay", "J. Smith 1234"])["locality"] == (
        "Marlow Bay"
    )
    lines = ["Lecanora elmensis Smith", "On Elm Creek, Marlow Bay", "J. Smith 1234"]  # a place: no epithet
    assert read(lines)["locality"] == "On Elm Creek, Marlow Bay"


def test_a_host_trees_line_under_the_place_is_not_the_locality() -> None:
    lines = [
        "LICHENS OF ONTARIO",
        "Rosa Islands",
        "Lecanora elmensis Smith",
        "On Alnus rugosa near stream.",
        "ELM ISLAND: Base of Marlow Hill.",
        "J. Smith 1234",
    ]
    assert read(lines)["locality"] == "Rosa Islands ELM ISLAND: Base of Marlow Hill"


def test_a_substrate_before_the_places_preposition_or_a_trees_part_is_left_out() -> None:
    lines = ["Lecanora elmensis Smith", "on barnacles in Elm State Park, Rosaville", "J. Smith 1234"]
    assert read(lines)["locality"] == "in Elm State Park, Rosaville"
    lines[1] = "Thuja branches, Marlow Lake"
    assert read(lines)["locality"] == "Marlow Lake"
    lines[1] = "Wytham Wood, Marlow Lake"  # a place's own word in capitals: no tree's part
    assert read(lines)["locality"] == "Wytham Wood, Marlow Lake"


def test_a_habitat_opening_the_locality_stays() -> None:
    assert read(["Erica sp.", "On roadside, near Marlow. Alt. 30 m.", "J. Smith 1234"])["locality"].startswith(
        "On roadside, near Marlow"
    )


def test_the_line_filling_a_habitat_caption_alone_is_no_locality() -> None:
    lines = [
        "Lecanora elmensis Smith",
        "Habitat",
        "On sandy beach in open area often with",
        "Juniperus horizontalis.",
        "LocalityMarlow beach at Rosa Bay.",
        "Collector",
    ]
    assert read(lines)["locality"] == "Marlow beach at Rosa Bay."


def test_the_survey_range_wrapped_onto_the_next_line_goes_with_the_locality() -> None:
    lines = [
        "LICHENS OF MISSOURI",
        "Lecanora elmensis Smith",
        "ELM COUNTY: Granite glade just",
        "W of Marlow Fire Tower, sec. 8, T34N,",
        "R6E. 19 Sep 1990.",
        "J. Smith 1234",
    ]
    assert read(lines)["locality"] == "Granite glade just W of Marlow Fire Tower, sec. 8, T34N, R6E"


def test_a_line_with_a_collector_cue_does_not_end_the_locality() -> None:
    lines = [
        "Lecanora elmensis Smith",
        "U. S. A., NORTH CAROLINA: Elm Co.,",
        "Marlow,National forest",
        "Oct. 30, 1965 Coll. J. Smith & K.",
        "Jones",
    ]
    assert read(lines)["locality"] == "Marlow,National forest"


def test_a_cued_line_with_its_coordinates_and_elevation_is_read_up_to_the_habitat() -> None:
    lines = [
        "Lecanora elmensis Smith",
        "Location: Marlow Pass, 2 km E of Rosa, 41°11'N, 74°08'W, 1200 m; spruce forest.",
        "Coll. J. Smith 12",
    ]
    assert read(lines)["locality"] == "Marlow Pass, 2 km E of Rosa, 41°11'N, 74°08'W, 1200 m"


def test_a_rock_or_bark_line_under_the_locality_is_the_substrate() -> None:
    lines = ["NEBRASKA LICHENS", "Lecanora elmensis Smith", "Near Elmton, Rosa Co.", "Sandstone. Horizontal Surf.", "A. BELL July 1, 1936"]
    assert read(lines)["locality"] == "Near Elmton"
    lines = ["LICHENS OF ELMIA", "Parmelia rosae Bell", "Near the falls of Elm Creek, Rosa", "Granite", "A. Bell 12"]
    assert read(lines)["locality"] == "Near the falls of Elm Creek, Rosa"
    lines = ["FLORA OF ELMIA", "Erica sp.", "Summit of Mt. Rosa, near", "Granite Falls.", "A. Bell 12"]
    assert read(lines)["locality"] == "Summit of Mt. Rosa, near Granite Falls"


def test_the_survey_after_an_unread_line_goes_with_the_locality() -> None:
    lines = ["LICHENS OF ELMIA", "Lecanora elmensis Smith", "LOCALITY: Marlow Is. Rosa Mt. NE Ridge, Section 18NW,",
             "", "T61S,R81E", "J. Smith 1234"]  # fmt: skip
    assert read(lines)["locality"] == "Marlow Is. Rosa Mt. NE Ridge, Section 18NW, T61S,R81E"


def test_a_county_state_and_country_written_as_sentences_before_the_place_are_left_out() -> None:
    lines = ["Lecanora elmensis Smith", "Locality: Elm County, Florida. USA.Rosa Key, near the dam.", "J. Smith 1234"]
    assert read(lines)["locality"] == "Rosa Key, near the dam."
    lines[1] = "Locality: DOMINICA. Rosa Key, near the dam."  # a country alone before the place stays
    assert read(lines)["locality"].startswith("DOMINICA. Rosa Key")


def test_a_lower_case_line_going_on_with_the_sentence_after_coordinates_left_out_is_left_out_too() -> None:
    lines = [
        "LICHENS OF ELM ISLAND",
        "Lecanora elmensis Smith",
        "Locality: Marlow Beach, north of Rosa",
        "Key, Elm Point. 29°35'N, 85°03'W. In open",
        "dunes of the barrier island.",
        "J. Smith 1234",
    ]
    assert read(lines)["locality"] == "Marlow Beach, north of Rosa Key, Elm Point."


def test_the_places_sentence_wrapped_onto_a_description_line_ends_the_locality() -> None:
    lines = ["Plants of the West Indies", "St. Vincent", "Elmia rosea L.", "St. George Parish, Elmton",
             "Bay, littoral. Stem woody.", "Flowers white.", "8141 A. Bell"]  # fmt: skip
    assert read(lines)["locality"] == "St. George Parish, Elmton Bay, littoral"


def test_a_wrapped_line_of_coordinates_that_begins_in_lower_case_takes_the_sentences_start_above_it() -> None:
    lines = ["PLANTS OF NORTHERN ALASKA", "Cetraria laevigata Rass.", "Collected in the Elm Foothills of the Cen-",
             "tral Rosa Range (68°38'N,149°34'W), .5 km E of", "Marlow Lake at 635 m; moist tussock tundra.",
             "Collected: August, 1987"]  # fmt: skip
    assert read(lines)["locality"] == (
        "Elm Foothills of the Cen-tral Rosa Range (68°38'N,149°34'W), .5 km E of Marlow Lake at 635 m"
    )


def test_a_rock_and_its_formation_opening_the_locality_is_the_substrate() -> None:
    lines = ["LICHENES AMERICANI EXSICCATI", "Lecanora elmensis Smith", "On Elmton sandstone in high mountains.",
             "Rosa Knob (1236 m.)", "J. Smith 1234"]  # fmt: skip
    assert read(lines)["locality"].startswith("in high mountains")
