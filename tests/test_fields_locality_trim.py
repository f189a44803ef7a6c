"""The locality without what is not the locality: a higher region in capitals before it, the state and country
line above it, habitat and GPS sentences after it; and the end of a sentence wrapped onto a coordinates line.
All label lines made up."""

from __future__ import annotations

import re

from herbproc.fields import extract_fields
from herbproc.fields.locality_trim import trim_locality

_DESCRIPTION = re.compile(r"\b(?:trees?|shrubs?|tall|flowers?)\b", re.I)


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


def test_a_region_in_capitals_before_the_locality_is_dropped() -> None:
    assert trim_locality("SEWARD PENINSULA. Kougarok Road near Pilgrim Hot Springs", _DESCRIPTION) == (
        "Kougarok Road near Pilgrim Hot Springs"
    )
    assert trim_locality("SOUTH ISLAND. OTAGO PROV.: Lake Hawea, east shore", _DESCRIPTION) == (
        "Lake Hawea, east shore"
    )
    assert trim_locality("DUNN & HOKE COUNTIES: Fort Bragg, Lake Rim", _DESCRIPTION) == "Fort Bragg, Lake Rim"


def test_a_place_before_a_colon_a_country_or_capitals_throughout_are_kept() -> None:
    for value in (
        "ANDROS: The Bluff, north of the settlement",  # an island before a colon: the locality's own
        "JAMAICA. Mandeville, along the road",  # a country: kept as written
        "ST. KITTS: Basseterre",
        "VICINITY OF KINGSTON. ALONG THE HOPE RIVER",  # all capitals: no mixed-case text after the region
    ):
        assert trim_locality(value, _DESCRIPTION) == value


def test_habitat_sentences_after_the_locality_are_dropped() -> None:
    cases = {
        "Two miles east of Milltown; frequent in damp, sandy ditches": "Two miles east of Milltown",
        "Kettle Pond, north shore. Alpine meadow on gravel": "Kettle Pond, north shore",
        "Ridge Trail near Beech Knob. GPS 410 m. Rich woods along the brook": "Ridge Trail near Beech Knob",
        "Maple Street at Elm Street, Open edge of a lot": "Maple Street at Elm Street",
        "4 km N of Santa Rita, in dry oak woods": "4 km N of Santa Rita",
        "Bear Creek, lower canyon. Scrubby trees 3-4 m tall": "Bear Creek, lower canyon",
        "RIDGE ROAD BELOW THE DAM; PINE FOREST AND BOG": "RIDGE ROAD BELOW THE DAM",
    }
    for value, want in cases.items():
        assert trim_locality(value, _DESCRIPTION) == want, value


def test_a_proper_name_or_the_only_sentence_is_not_a_habitat() -> None:
    for value in (
        "Greenfield; Forest Park; near the pavilion",  # "Forest Park" a name
        "Rich woods along the brook",  # the first sentence is the locality, whatever it says
        "Pine Hill, Spruce Knob Road",
        "VERMQNT: , Dry gravelly bank above Otter Creek",  # what a caption (a misread state) introduces
    ):
        assert trim_locality(value, _DESCRIPTION) == value


def test_the_state_and_country_line_above_the_locality_is_not_part_of_it() -> None:
    got = read(["Carex aquatilis Wahlenb.", "MONTANA, U.S.A.", "GLACIER CO.: Two Medicine Lake, south shore."])
    assert got["locality"] == "Two Medicine Lake, south shore"


def test_a_sentence_wrapped_onto_a_coordinates_line_ends_there() -> None:
    got = read(["Carex aquatilis Wahlenb.", "Hartford County: Glastonbury: Main Street at Hubbard",
                "Road, Open lawn. 41°42'N, 72°36'W. Locally common."])  # fmt: skip
    assert got["locality"] == "Glastonbury: Main Street at Hubbard Road"


def test_a_habitat_before_the_place_it_is_at_is_dropped() -> None:
    assert trim_locality("On moss hummocks in a fen along Cedar Brook; Lost Lake Trail", _DESCRIPTION) == (
        "along Cedar Brook; Lost Lake Trail"
    )
    got = read(["Carex aquatilis Wahlenb.", "Frequent along the old canal towpath just east of",
                "Route 9 near the lock at Millbury."])  # fmt: skip
    assert got["locality"] == "along the old canal towpath just east of Route 9 near the lock at Millbury"


def test_a_caption_and_its_number_or_a_stamp_in_capitals_is_no_locality() -> None:
    got = read(["Carex aquatilis Wahlenb.", "Cedar Swamp, Hopedale", "DONATED BY THE", "TOWN 17", "SPECIES 12-4-1"])
    assert got["locality"] == "Cedar Swamp, Hopedale"
    got = read(["Carex aquatilis Wahlenb.", "along Route 4, 2 miles inside of the park boundary.", "Sec:21"])
    assert got["locality"] == "along Route 4, 2 miles inside of the park boundary"


def test_the_description_line_after_the_locality_takes_its_sentence_and_ends_a_wrapped_one() -> None:
    got = read(["Carex aquatilis Wahlenb.", "Hampshire County: Amherst, Pelham Road near junction with",
                "Mill Lane, roadside, 8 dm tall, flowers pale"])  # fmt: skip
    assert got["locality"] == "Amherst, Pelham Road near junction with Mill Lane, roadside"
    got = read(["Carex aquatilis Wahlenb.", "Hampshire County: Amherst, Mill River, 2 miles north. Spreading,",
                "low shrubs 1-2 m. tall."])  # fmt: skip
    assert got["locality"] == "Amherst, Mill River, 2 miles north"


def test_a_prose_note_wrapped_on_a_word_stays_a_description() -> None:
    got = read(["Carex aquatilis Wahlenb.", "Rare. Grows in wet meadows, mostly in the eastern hills and",
                "Coastal Plain regions of the state.", "Beaver Pond, Ashford"])  # fmt: skip
    assert got["locality"] == "Beaver Pond, Ashford"


def test_a_herbarium_line_that_goes_on_with_the_locality_after_a_comma_is_kept() -> None:
    got = read(["Carex aquatilis Wahlenb.", "Hampshire County: Planted, east side of Lyman Hall,",
                "University of Massachusetts campus, Amherst."])  # fmt: skip
    assert got["locality"] == "Planted, east side of Lyman Hall, University of Massachusetts campus, Amherst"


def test_a_mountain_abbreviated_is_a_place_word() -> None:
    got = read(["Carex aquatilis Wahlenb.", "Cliffs, Bald Mt.,", "Ashfield, Mass."])
    assert got["locality"].startswith("Cliffs, Bald Mt")


def test_a_survey_sentence_before_or_an_elevation_after_the_locality_is_dropped() -> None:
    assert trim_locality("GPS. T4N, R12E, sec 30, SW 1/4. Pinedale. School yard", _DESCRIPTION) == (
        "Pinedale. School yard"
    )
    assert trim_locality("BIG HORN NATIONAL FOREST, CLOUD PEAK TRAIL, 8700 FT. ALT.", _DESCRIPTION) == (
        "BIG HORN NATIONAL FOREST, CLOUD PEAK TRAIL"
    )
    kept = "Elk Creek, alt. 2400 ft., west of Tower Junction"  # inside the sentence: kept
    assert trim_locality(kept, _DESCRIPTION) == kept


def test_a_locality_caption_glued_to_its_value_is_read() -> None:
    got = read(["Carex aquatilis Wahlenb.", "Worcester County, Mass.", "LocaltyPine Hill, Holden, Mass."])
    assert got["locality"] == "Pine Hill, Holden, Mass."
    got = read(["Carex aquatilis Wahlenb.", "located adjacent to Route 9, 3 miles east of the river."])
    assert got["locality"].startswith("located adjacent")  # "located": a word, no caption


def test_a_locality_habitat_caption_keeps_the_place_lines_above_it() -> None:
    got = read(["Carex aquatilis Wahlenb.", "Elm Brook Park", "Lincoln, Middlesex County",
                "Loc./Habitat: wet sandy shore of the brook."])  # fmt: skip
    assert got["locality"].startswith("Elm Brook Park")


def test_a_clause_wrapped_onto_the_locality_line_begins_it() -> None:
    got = read(["Carex aquatilis Wahlenb.", "in a new hedge planting, University of South",
                "Dakota Campus, near the library"])  # fmt: skip
    assert got["locality"] == "University of South Dakota Campus, near the library"


def test_a_place_about_a_town_and_a_date_without_its_year() -> None:
    got = read(["PLANTAE OCCIDENTALES.", "1901.", "Carex aquatilis Wahlenb.", "Slopes about Tepic.", "22, August."])
    assert got["locality"] == "Slopes about Tepic"


def test_a_one_read_as_an_ell_before_digits_is_a_one() -> None:
    assert trim_locality("Mill Creek, l2 miles east of Dayton", _DESCRIPTION) == "Mill Creek, 12 miles east of Dayton"
    assert trim_locality("Lake lsabella, north shore", _DESCRIPTION) == "Lake lsabella, north shore"


def test_a_form_header_filled_in_with_the_place() -> None:
    assert trim_locality("PLANTS OF __Elk Mountain State Park", _DESCRIPTION) == "Elk Mountain State Park"


def test_a_plant_description_sentence_after_the_locality_is_dropped() -> None:
    assert trim_locality("Ridge above Elm Creek. Plants erect, in dense clumps", _DESCRIPTION) == (
        "Ridge above Elm Creek"
    )
    assert trim_locality("Ridge above Elm Creek. Plant City road", _DESCRIPTION) == (
        "Ridge above Elm Creek. Plant City road"
    )  # a place named Plant …: not a description


def test_a_word_broken_at_its_hyphen_is_joined_again() -> None:
    lines = ["Rubus sp.", "Kettle Island: north end, on pine-", "covered slopes above Birch Cove.", "K. Lind 88"]
    assert read(lines)["locality"] == "Kettle Island: north end, on pine-covered slopes above Birch Cove"


def test_a_locality_caption_without_its_colon() -> None:
    lines = ["Family Poaceae", "Locality Hollow Creek Parish, Tobago", "Habitat Open pasture", "Collector K. Lind"]
    assert read(lines)["locality"] == "Hollow Creek Parish, Tobago"


def test_a_scientific_name_before_the_locality_sentence_is_not_part_of_it() -> None:
    lines = ["Sida acuta Burm. f.", "Det. K. Lind", "Sida acuta Burm. f. Along coast road", "near the old mill."]
    assert read(lines)["locality"] == "Along coast road near the old mill"


def test_a_government_departments_line_is_not_the_locality() -> None:
    lines = ["FLORA OF THE AZORES", "AZORES DEPARTMENT OF AGRICULTURE", "Erica sp.", "No. 77"]
    assert "locality" not in read(lines)


def test_an_elevation_line_under_a_locality_line_that_runs_on_is_part_of_it() -> None:
    got = read(["Erica sp.", "Along the river road near San Telmo", "Alt. 1200 m.", "Coll. R. Okafor 9"])
    assert got["locality"] == "Along the river road near San Telmo Alt. 1200 m"
    got = read(["Erica sp.", "Along the river road near San Telmo.", "Alt. 1200 m.", "Coll. R. Okafor 9"])
    assert got["locality"] == "Along the river road near San Telmo. Alt. 1200 m"  # an elevation alone on its line


def test_a_state_before_its_colon_is_the_prefix_verbatim_locality_leaves_out() -> None:
    assert trim_locality("VERMONT: , Dry gravelly bank above Otter Creek", _DESCRIPTION) == (
        "Dry gravelly bank above Otter Creek"
    )
    assert trim_locality("Bahamas: Elm Cay, north of the town", _DESCRIPTION) == "Bahamas: Elm Cay, north of the town"


def test_a_forms_area_caption_before_its_blank_is_dropped() -> None:
    assert trim_locality("FOREST/EXPT. AREA: Elm National Forest/ Rosa Area, Elm Ridge", _DESCRIPTION) == (
        "Elm National Forest/ Rosa Area, Elm Ridge"
    )
    assert trim_locality("COLLECTING SITE: north shore of Elm Lake", _DESCRIPTION) == "north shore of Elm Lake"
    lines = ["LICHENS OF ALASKA", "FOREST/EXPT. AREA:", "Elm National Forest/Rosa Area", "Misty Peak, T 68S, R 88E",
             "Collector A. Bell 12"]  # fmt: skip
    assert read(lines)["locality"].startswith("Elm National Forest/Rosa Area")
    # a place of that name is kept: "Rosa Area: …" is no caption in capitals
    assert trim_locality("Rosa Area: north shore", _DESCRIPTION) == "Rosa Area: north shore"


def test_a_country_its_subdivision_and_a_province_with_its_word_before_a_colon_are_dropped() -> None:
    assert trim_locality("JAPAN. Hokkaido. Prov. Ishikari: Mt. Elm, Rosa Mts.", _DESCRIPTION) == "Mt. Elm, Rosa Mts."
    assert trim_locality("JAPAN: Mt. Elm, Rosa Mts.", _DESCRIPTION) == "JAPAN: Mt. Elm, Rosa Mts."  # a country alone


def test_parentheses_left_empty_by_the_reading_are_dropped() -> None:
    assert trim_locality("Mt. Elm( ), Rosa Mts. (). On rocks;elevation about 2000 m.", _DESCRIPTION) == (
        "Mt. Elm, Rosa Mts. On rocks;elevation about 2000 m."
    )


def test_a_last_sentence_of_zeros_alone_is_dropped() -> None:
    assert trim_locality("Elm National Park Rosa Peak. 000", _DESCRIPTION) == "Elm National Park Rosa Peak."
    assert trim_locality("Hill 624, Elm Island", _DESCRIPTION) == "Hill 624, Elm Island"
    assert trim_locality("Elm River on Hwy. 17", _DESCRIPTION) == "Elm River on Hwy. 17"


def test_a_state_postal_code_ending_the_locality_is_the_state_term() -> None:
    assert trim_locality("Greenhouse grown, Rosaville,TN", _DESCRIPTION) == "Greenhouse grown, Rosaville"
    assert trim_locality("Elm Mesa State Park Elmton, OK", _DESCRIPTION) == "Elm Mesa State Park Elmton"
    for kept in ("Elm Park, 2 mi W of OK 15", "Elmton, Mass.", "Lot 4, Elmton OK Corral", "Elm Lake, north shore, NE"):
        assert trim_locality(kept, _DESCRIPTION) == kept


def test_a_town_and_its_postal_code_alone_give_the_town() -> None:
    lines = ["ELM COLLEGE HERBARIUM", "Quercus alba L.", "Greenhouse grown, Rosaville,TN", "12 May 1973"]
    assert read(lines)["locality"] == "Greenhouse grown, Rosaville"
    assert read(["ELM COLLEGE HERBARIUM", "Quercus alba L.", "Rosaville, TN", "12 May 1973"])["locality"] == "Rosaville"


def test_the_collectors_number_before_the_place_on_its_line_is_left_out() -> None:
    assert trim_locality("NO.382 Rocky thicket, Elm Hills, Rosa", _DESCRIPTION) == "Rocky thicket, Elm Hills, Rosa"
    assert trim_locality("No. 12a Elm Hills", _DESCRIPTION) == "Elm Hills"
    assert trim_locality("North Elm Hills", _DESCRIPTION) == "North Elm Hills"


def test_a_spanish_labels_habitat_sentence_is_dropped_not_a_forest_named() -> None:
    value = "Rep. Elmia: Loma Rosa, subiendo del poblado de La Elma; potreros, conucos, vegetación"
    assert trim_locality(value, _DESCRIPTION) == "Rep. Elmia: Loma Rosa, subiendo del poblado de La Elma"
    assert trim_locality("Loma Rosa; bosque húmedo", _DESCRIPTION) == "Loma Rosa"
    assert trim_locality("Loma Rosa. Bosque Estatal de Elma", _DESCRIPTION) == "Loma Rosa. Bosque Estatal de Elma"


def test_a_divisions_shortened_word_ends_no_sentence() -> None:
    # "Prov." before a name whose first word is a vegetation word ("Pinar del …"): the name, not a habitat
    assert trim_locality("Prov. Pinar del Elm: Rosaville, pinar", _DESCRIPTION) == "Prov. Pinar del Elm: Rosaville, pinar"
    assert trim_locality("Depto. Bosque de Elm: Rosaville", _DESCRIPTION) == "Depto. Bosque de Elm: Rosaville"
    assert trim_locality("Loma Rosa. Bosque de pinos", _DESCRIPTION) == "Loma Rosa"


def test_the_country_before_a_division_and_its_colon_is_left_out_the_division_kept() -> None:
    value = "Puerto Rico: Municipio Elmton: Barrio Rosa, along road"
    assert trim_locality(value, _DESCRIPTION) == "Municipio Elmton: Barrio Rosa, along road"
    value = "Rep. Dominicana: Prov. La Vega: cerca de Elmton"
    assert trim_locality(value, _DESCRIPTION) == "Prov. La Vega: cerca de Elmton"
    assert trim_locality("Cuba: Prov. Oriente: Loma Elmton", _DESCRIPTION) == "Prov. Oriente: Loma Elmton"
    # a place that is no division, or a division's bare name (a town's too), after the country's colon: as written
    assert trim_locality("Cuba: Oriente: Loma Elmton", _DESCRIPTION) == "Cuba: Oriente: Loma Elmton"
    assert trim_locality("Cuba: Loma Elmton: Rosaville", _DESCRIPTION) == "Cuba: Loma Elmton: Rosaville"


def test_a_month_and_days_without_a_year_ending_the_place_line_are_cut() -> None:
    from herbproc.fields import extract_fields

    lines = ["PLANTS COLLECTED IN THE ELM KEYS, 1910", "Iva nativa L.", "Elm Bay, near Rosa, June 3-5.", "J. SMITH"]
    assert extract_fields(lines)["locality"].value == "Elm Bay, near Rosa"


def test_an_ell_read_as_the_digit_one_inside_a_word_is_put_back() -> None:
    lines = ["Lecanora elmensis Smith", "5 mi NW of O1iver Springs, Marlow Ferry.", "J. Smith 1234"]
    assert read(lines)["locality"] == "5 mi NW of Oliver Springs, Marlow Ferry"
    lines = ["LICHENES ARCTICI", "Lecanora elmensis Smith", "MARLOW LAKE, in central Elmland", "Ju1y 20 & 21, 1959",
             "Coll. J. Smith"]  # fmt: skip
    assert read(lines)["locality"] == "MARLOW LAKE, in central Elmland"  # the date, its month misread, is no place
