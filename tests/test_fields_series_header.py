"""A collection series' title ("LICHENS OF …", "CRYPTOGAMS OF …") names the collecting region."""

from herbproc.fields import extract_fields


def test_series_title_under_the_herbarium_name_is_the_place() -> None:
    f = extract_fields(["The Example Botanical Garden", "LICHENS OF OREGON, U.S.A.", "Lane County: on basalt"])
    assert f["stateProvince"].value == "Oregon"
    assert f["country"].value == "United States"
    assert f["county"].value == "Lane"


def test_cryptogams_and_mosses_titles() -> None:
    assert extract_fields(["CRYPTOGAMS OF GEORGIA, U.S.A.", "on oak"])["stateProvince"].value == "Georgia"
    assert extract_fields(["Mosses of Ontario", "on rock"])["stateProvince"].value == "Ontario"


def test_county_caption_abbreviated() -> None:
    assert extract_fields(["Co.: Haywood", "on rock by the creek"])["county"].value == "Haywood"
    assert extract_fields(["Co: Cocke", "on rock by the creek"])["county"].value == "Cocke"
