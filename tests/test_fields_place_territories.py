"""Place rules for labels of islands and territories: a territory that ISO 3166-1 groups with others is the
country, a division ISO 3166-2 lists only in compass parts, a header's "OF" glued to its country, and a form's
division slot whose value was read apart. Made-up label lines."""

from __future__ import annotations

from herbproc.fields import extract_fields, places


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


def test_a_grouped_territory_is_the_country() -> None:
    found = places.find_country("PLANTS OF WAKE ISLAND")
    assert found is not None and (found.name, found.country_code) == ("Wake Island", "UM")
    assert places.country_code("Midway Islands") == "UM"
    fields = read(["PLANTS OF JARVIS ISLAND", "Sesuvium portulacastrum L.", "on coral rubble near the landing",
                   "A. B. Collins 812", "12 March 1964"])  # fmt: skip
    assert fields["country"] == "Jarvis Island" and fields["countryCode"] == "UM"
    assert "stateProvince" not in fields  # the territory is no division of itself


def test_a_territory_that_is_also_a_word_only_in_capitals_or_alone() -> None:
    assert places.find_country("Ascension Parish, La.") is None
    assert places.find_country("feast of the Ascension, near the church") is None


def test_a_division_iso_lists_in_compass_parts() -> None:
    assert places.find_compass_whole("FLORA OF KORDOFAN, SUDAN", "SD")[0] == "Kordofan"
    assert places.find_compass_whole("Sudan. Darfur, wadi bed", "SD")[0] == "Darfur"
    assert places.find_compass_whole("Sudan: Jebel Kordofan, 3 km E of", "SD") is None  # another place
    assert places.find_compass_whole("Darfur", "KE") is None
    # an island's word goes with it; a whole that is a common word is none ("Northern Province" …)
    assert places.find_compass_whole("Plants of Samar Island, Philippines", "PH")[0] == "Samar Island"
    assert places.find_compass_whole("Province of the Cape", "ZA") is None
    fields = read(["FLORA OF DARFUR, SUDAN", "Acacia nilotica (L.) Delile", "sandy wadi bank",
                   "Coll. M. T. Okafor No. 5170", "March 3, 1981"])  # fmt: skip
    assert fields["country"] == "Sudan" and fields["stateProvince"] == "Darfur"


def test_a_compass_whole_needs_the_country_line() -> None:
    fields = read(["PLANTS OF THE SUDAN", "Kordofan Lodge grounds, open sand", "K. Lindqvist 77", "May 1, 1990"])
    assert "stateProvince" not in fields


def test_a_header_of_glued_to_its_country() -> None:
    fields = read(["HERBARIUM", "FLORA", "Name: Eugenia", "Collector: P. Ramdial No. 4410", "OFBARBADOS"])
    assert fields["country"] == "Barbados"
    assert "OFBARBADOS" not in fields.get("locality", "")


def test_a_division_slot_whose_value_was_read_apart() -> None:
    lines = ["FLORA OF DOMINICA", "Parish:", "Name: Miconia", "Locality: ridge above the river",
             "Collector: L. Ferreira No. 318", "ST. JOSEPH"]  # fmt: skip
    fields = read(lines)
    assert fields["country"] == "Dominica" and fields["stateProvince"] == "Saint Joseph"
    # without the empty slot a subdivision's name alone on a line is not read
    assert "stateProvince" not in read([line for line in lines if line != "Parish:"])
