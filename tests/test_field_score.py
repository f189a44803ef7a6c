"""herbproc.fields.score: per-term normalisation, right / wrong / abstained, hespi-style similarity; and the
hand-checked truth of the real_sheets thumbnails (tests/data/real_sheets_truth.csv) is well formed."""

from __future__ import annotations

import csv
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from conftest import shared_fixture

from herbproc.fields.score import (
    TERMS,
    UNREADABLE,
    field_similarity,
    format_table,
    judge,
    mean_right_rate,
    normalise,
    row_countries,
    score,
)

TRUTH = Path(__file__).resolve().parent / "data" / "real_sheets_truth.csv"
MORE_TRUTH = TRUTH.with_name("more_sheets_truth.csv")  # the held-out set of bench/aocr.py --set more
# sets transcribed by eye whose images are not in the fixtures (bench/aocr.py --more-folder, docs/benchmarks.md)
FERN_TRUTH = TRUTH.with_name("fern_sheets_truth.csv")
MICH_TRUTH = TRUTH.with_name("mich_sheets_truth.csv")

# ------------------------------------------------------------------------------------------- the rules


def test_absent_and_abstained_is_right():
    assert judge("recordNumber", "", "") == "right"
    assert judge("country", "  ", "") == "right"


def test_absent_but_filled_is_wrong():
    """A value that is not on the label must stay empty (a country guessed from a herbarium's name)."""
    assert judge("country", "", "United States") == "wrong"


def test_present_but_empty_prediction_is_abstained():
    assert judge("recordNumber", "776", "") == "abstained"
    assert judge("recordNumber", "776", "   ") == "abstained"


def test_present_and_different_is_wrong_present_and_equal_is_right():
    assert judge("recordNumber", "776", "93") == "wrong"
    assert judge("recordNumber", "776", "776") == "right"


def test_unreadable_truth_is_not_scored():
    assert judge("recordNumber", UNREADABLE, "776") is None
    assert judge("recordNumber", UNREADABLE, "") is None
    assert field_similarity("recordNumber", UNREADABLE, "776") is None
    s = score(
        [{"recordNumber": UNREADABLE}, {"recordNumber": "1"}], [{"recordNumber": "9"}, {"recordNumber": "1"}]
    )
    rn = s["recordNumber"]
    assert (rn.right, rn.wrong, rn.abstained, rn.unreadable, rn.scored) == (1, 0, 0, 1, 1)


def test_case_whitespace_punctuation_and_accents_do_not_count():
    assert judge("recordedBy", "STEWARDSON  BROWN", "Stewardson Brown") == "right"
    assert judge("recordedBy", "D.S. Correll", "D. S. Correll") == "right"
    assert judge("stateProvince", "Prov. Samaná", "Samana") == "right"
    assert judge("recordedBy", "D.S. Correll", "D.S. Corell") == "wrong"


def test_typographic_punctuation_counts_as_its_ascii_form():
    assert judge("locality", "Elm Bay; 19°17’N, 69°18’W", "Elm Bay; 19°17'N, 69°18'W") == "right"
    assert judge("locality", "Rosa Peak, 0–30 m", "Rosa Peak, 0-30 m") == "right"
    assert judge("locality", "Rosa Peak, 1917 N", "Rosa Peak, 19°17’N") == "right"  # ’ a space as its ASCII form is
    assert judge("locality", "Rosa Peak, 19°17’N", "Rosa Peak, 1917N") == "wrong"


def test_a_list_of_collectors_joined_by_words_or_by_pipes_is_one_list():
    assert judge("recordedBy", "Ana P. Ruiz y Tomas Vega", "Ana P. Ruiz | Tomas Vega") == "right"
    assert judge("recordedBy", "K. Olsen and W. Brandt", "K. Olsen & W. Brandt") == "right"
    assert judge("recordedBy", "K. Olsen and W. Brandt", "K. Olsen") == "wrong"
    assert judge("recordedBy", "K. Olsen with W. Brandt and C. Dunn", "K. Olsen | W. Brandt | C. Dunn") == "right"
    assert judge("recordedBy", "Andrews", "Andrew") == "wrong"


def test_scientific_name_without_authorship_and_with_alternatives():
    assert (
        judge("scientificName", "Mitreola petiolata (J. F. Gmel.) T. & G.", "Mitreola petiolata (J.F. Bmel.)")
        == "right"
    )
    assert (
        judge("scientificName", "Polyscias filicifolia (Moore) Bailey", "Polyscias fruticosa (L.) Harms")
        == "wrong"
    )
    both = "Vandellia diffusa L. | Lindernia diffusa (L.) Wettst."
    assert judge("scientificName", both, "Lindernia diffusa") == "right"
    assert judge("scientificName", both, "Vandellia diffusa L.") == "right"
    assert judge("scientificName", both, "Lindernia crustacea") == "wrong"
    assert field_similarity("scientificName", both, "Lindernia diffusa") == 1.0
    # the rank marker and the infraspecific epithet count
    assert judge("scientificName", "Daucus carota L. subsp. carota", "Daucus carota L.") == "wrong"


def test_record_number_is_a_string():
    assert judge("recordNumber", "0776", "776") == "wrong"
    assert judge("recordNumber", "2217a", "2217 A") == "right"
    assert normalise("recordNumber", "No. 1234") != normalise("recordNumber", "1234")


def test_event_date_as_iso_and_partial_dates():
    assert judge("eventDate", "1992-05-11", "May 11, 1992") == "right"
    assert judge("eventDate", "1992-05-11", "1992-05-11") == "right"
    assert judge("eventDate", "1992-05-11", "1992-05-12") == "wrong"
    assert judge("eventDate", "1904-03", "1904-03") == "right"
    assert judge("eventDate", "1904-03", "1904-03-01") == "wrong"  # a partial date is not a day
    assert judge("eventDate", "1905-08-31/1905-09-20", "1905-09-20") == "wrong"
    assert (
        judge("eventDate", "1905-08-31/1905-09-20", "1905-08-31") == "wrong"
    )  # an interval is not its start
    assert judge("eventDate", "1905-08-31/1905-09-20", "1905-08-31/1905-09-20") == "right"
    assert normalise("eventDate", "10 June 2019") == "2019-06-10"


def test_an_interval_with_its_end_shortened_is_the_whole_interval():
    assert normalise("eventDate", "1911-04-03/09") == "1911-04-03/1911-04-09"
    assert normalise("eventDate", "1911-04-28/05-02") == "1911-04-28/1911-05-02"
    assert judge("eventDate", "1911-04-03/09", "1911-04-03/1911-04-09") == "right"
    assert normalise("eventDate", "1903-03/05") == "1903-03/1903-05"  # a month span
    assert judge("eventDate", "1903-03/05", "1903") == "wrong"  # the year alone is not the span
    assert judge("eventDate", "1911-04-03/09", "1911-04-03") == "wrong"
    assert judge("eventDate", "1911-04-03/09", "1911-04-03/1911-04-19") == "wrong"


def test_admin_words_and_catalog_prefixes():
    assert judge("stateProvince", "Province of Puerto Plata", "Puerto Plata") == "right"
    assert judge("county", "Washington Co.", "Washington") == "right"
    assert judge("county", "New London", "London") == "wrong"
    assert judge("catalogNumber", "40904", "NY 00040904") == "right"
    assert judge("catalogNumber", "40904", "00040905") == "wrong"


def test_hespi_similarity():
    """Gestalt ratio; both empty left out; one of the two empty gives 0."""
    assert field_similarity("locality", "", "") is None
    assert field_similarity("locality", "Grand Turk", "") == 0.0
    assert field_similarity("locality", "", "Grand Turk") == 0.0
    a, b = "steel bridge on road to freshwater lake", "steel bridge on road to fresh water lake"
    expected = SequenceMatcher(None, a, b).ratio()
    assert field_similarity("locality", a.upper(), b) == pytest.approx(expected)
    assert 0.9 < expected < 1.0


def test_rates_and_mean_similarity():
    truths = [{"country": ""}, {"country": "Jamaica"}, {"country": "Jamaica"}, {"country": "Cuba"}]
    preds = [{"country": ""}, {"country": "JAMAICA"}, {"country": ""}, {"country": "United States"}]
    s = score(truths, preds)["country"]
    assert (s.right, s.wrong, s.abstained, s.scored) == (2, 1, 1, 4)
    assert s.right_absent == 1  # the first sheet: no country on the label, none written
    assert s.rate("right") == 0.5 and s.rate("wrong") == 0.25 and s.rate("abstained") == 0.25
    cuba = SequenceMatcher(None, "cuba", "united states").ratio()
    assert s.mean_similarity == pytest.approx((1.0 + 0.0 + cuba) / 3)  # the both-empty sheet is left out
    j = s.to_json()
    assert j["similarity_n"] == 3 and j["right"] == 2
    assert "country" in format_table(score(truths, preds))


# ----------------------------------------------------------------------------------------- the truth file


def _truth_rows(path: Path = TRUTH) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(
    "path", [TRUTH, MORE_TRUTH, FERN_TRUTH, MICH_TRUTH], ids=["real_sheets", "more_sheets", "fern_sheets", "mich_sheets"]
)
def test_truth_file_columns_and_cells(path):
    rows = _truth_rows(path)
    assert rows, f"{path} is empty"
    assert list(rows[0]) == ["file", *TERMS, "notes"]
    for r in rows:
        assert None not in r, f"{r['file']}: extra cells"
        assert all(v is not None for v in r.values()), f"{r['file']}: missing cells"
        assert r["notes"].strip(), f"{r['file']}: say what the label shows and what could not be read"
        assert sum(x["file"] == r["file"] for x in rows) == 1, f"{r['file']}: listed twice"
        for t in TERMS:
            assert r[t] == r[t].strip(), f"{r['file']} {t}: stray whitespace"
            if r[t] and r[t] != UNREADABLE:
                assert UNREADABLE not in r[t], f"{r['file']} {t}: UNREADABLE must be the whole cell"
        d = r["eventDate"]
        assert (
            not d or d == UNREADABLE or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?", d)
        )
        # the label's name is the file's (an author or spelling may differ): its genus at least
        if path == TRUTH and r["file"].endswith(".jpeg"):
            genus = r["file"].split()[0]
            assert r["scientificName"].split()[0] == genus, r["file"]


def test_truth_file_has_one_row_per_thumbnail():
    folder = shared_fixture("real_sheets")
    thumbnails = sorted(p.name for p in folder.glob("*.jpeg"))
    assert thumbnails, f"no <scientific name><index>.jpeg sheets in {folder}"
    files = [r["file"] for r in _truth_rows()]
    assert len(files) == len(set(files)), "a file is listed twice"
    assert sorted(f for f in files if f.endswith(".jpeg")) == thumbnails
    assert all((folder / f).is_file() for f in files), "a row names a file that is not in real_sheets"


def test_more_sheets_truth_has_one_row_per_sheet():
    folder = shared_fixture("more_sheets")
    sheets = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg"))
    assert sheets, f"no sheets in {folder}"
    assert sorted(r["file"] for r in _truth_rows(MORE_TRUTH)) == sheets


# ------------------------------------------------------------------------------------- scoring by code


@pytest.mark.parametrize(
    ("truth", "predicted"),
    [
        ("PORTO RICO", "Puerto Rico"),
        ("Rep. Dominicana", "Dominican Republic"),
        ("REPUBLICA DOMINICANA", "Dominican Republic"),
        ("BAHAMA ISLANDS", "Bahamas"),
        ("TURKS ISLANDS", "Turks and Caicos Islands"),
        ("ST. LUCIA", "Saint Lucia"),
        ("U.S.A.", "United States"),
    ],
)
def test_country_by_code_equates_label_forms_and_standard_names(truth, predicted):
    assert judge("country", truth, predicted) == "wrong"  # strict: the strings differ
    assert judge("country", truth, predicted, by_code=True) == "right"


def test_country_by_code_keeps_different_countries_and_unknown_values_apart():
    assert judge("country", "Dominica", "Dominican Republic", by_code=True) == "wrong"
    assert judge("country", "PORTO RICO", "Cuba", by_code=True) == "wrong"
    # "West Indies" is a region, not a country: the folded strings decide.
    assert judge("country", "WEST INDIES", "Bahamas", by_code=True) == "wrong"
    assert judge("country", "WEST INDIES", "West Indies", by_code=True) == "right"
    assert judge("country", "ST. THOMAS", "Saint Thomas", by_code=True) == "right"  # St. = Saint, no code
    assert judge("country", "", "Bahamas", by_code=True) == "wrong"
    assert judge("country", "Bahamas", "", by_code=True) == "abstained"
    assert normalise("country", "PORTO RICO", by_code=True) == "iso:PR"
    assert normalise("country", "West Indies", by_code=True) == "west indies"


def test_state_province_by_subdivision_of_the_rows_country():
    dominica = row_countries({"country": "Dominica"}, {"country": "Dominica"})
    assert dominica == ("DM",)
    assert judge("stateProvince", "St. George", "Saint George") == "wrong"  # strict
    assert judge("stateProvince", "St. George", "Saint George", by_code=True, countries=dominica) == "right"
    assert judge("stateProvince", "St. George", "Saint Andrew", by_code=True, countries=dominica) == "wrong"
    rd = row_countries({"country": "Rep. Dominicana"})
    assert rd == ("DO",)
    assert judge("stateProvince", "Prov. Samaná", "Samaná", by_code=True, countries=rd) == "right"
    assert normalise("stateProvince", "Province of Puerto Plata", by_code=True, countries=rd) == "iso:DO-18"
    # Without a country, US states and Canadian provinces through the state table's label forms.
    assert judge("stateProvince", "Mass.", "Massachusetts", by_code=True) == "right"
    assert judge("stateProvince", "Mass.", "Massachusetts") == "wrong"
    # Not a subdivision (a Puerto Rico municipio): the folded strings, St. read Saint.
    pr = row_countries({"country": "Puerto Rico"})
    assert judge("stateProvince", "Yauco", "yauco", by_code=True, countries=pr) == "right"
    assert judge("stateProvince", "Yauco", "San Juan", by_code=True, countries=pr) == "wrong"


def test_state_province_by_code_reads_an_island_subdivision_with_its_island_word():
    bs = row_countries({"country": "Bahamas"})
    assert judge("stateProvince", "EXUMA ISLAND", "Exuma", by_code=True, countries=bs) == "right"
    assert judge("stateProvince", "Isla Exuma", "Exuma", by_code=True, countries=bs) == "right"
    assert judge("stateProvince", "EXUMA ISLAND", "Exuma") == "wrong"  # strict: the strings
    assert judge("stateProvince", "Exuma Island", "Bimini", by_code=True, countries=bs) == "wrong"
    # an island that is no subdivision stays its string
    assert normalise("stateProvince", "Hog Island", by_code=True, countries=bs) == "hog island"


def test_county_by_code_reads_st_as_saint_but_locality_does_not():
    assert judge("county", "St. Lawrence Co.", "Saint Lawrence", by_code=True) == "right"
    assert judge("county", "St. Lawrence Co.", "Saint Lawrence") == "wrong"
    assert judge("locality", "Main St.", "Main Saint", by_code=True) == "wrong"


def test_score_by_code_uses_each_rows_countries_and_mean_right_rate():
    truths = [
        {"country": "Rep. Dominicana", "stateProvince": "Prov. Samaná"},
        {"country": "DOMINICA", "stateProvince": "St. George"},
        {"country": "WEST INDIES", "stateProvince": ""},
    ]
    predictions = [
        {"country": "Dominican Republic", "stateProvince": "Samaná"},
        {"country": "Dominica", "stateProvince": "Saint George"},
        {"country": "Bahamas", "stateProvince": ""},
    ]
    terms = ("country", "stateProvince")
    strict = score(truths, predictions, terms)
    coded = score(truths, predictions, terms, by_code=True)
    assert (strict["country"].right, strict["country"].wrong) == (1, 2)
    assert (coded["country"].right, coded["country"].wrong) == (2, 1)
    assert (strict["stateProvince"].right, coded["stateProvince"].right) == (2, 3)
    # The similarity stays the strict (string) one.
    assert coded["country"].similarities == strict["country"].similarities
    assert mean_right_rate(strict) == pytest.approx((1 / 3 + 2 / 3) / 2)
    assert mean_right_rate(coded) == pytest.approx((2 / 3 + 3 / 3) / 2)
    assert mean_right_rate(score([], [], terms)) is None
